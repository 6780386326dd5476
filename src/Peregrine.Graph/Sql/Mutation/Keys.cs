using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Sql.Mutation;

internal static class Keys
{
    /// <summary>A SQL expression: the primary keys of the rows in <paramref name="relation"/> as a JSON array (never null).</summary>
    public static string JsonOf(TableInfo table, string relation) =>
        "(SELECT coalesce(json_agg(json_build_object(" +
        string.Join(", ", table.PrimaryKey.Select(c => $"'{c}', _k.\"{c}\"")) +
        $")), '[]'::json) FROM {relation} _k)";
}
