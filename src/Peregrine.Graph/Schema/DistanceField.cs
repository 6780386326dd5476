using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Schema;

/// <summary>
/// Beyond Hasura: a table with exactly one geography column gets a <c>distance(from:)</c> output field
/// and a <c>distance: {from, order}</c> ordering (nearest first), which Hasura users ask for.
/// </summary>
public static class DistanceField
{
    public const string Name = "distance";
    public const string OrderByInput = "geography_distance_order_by";

    public static ColumnInfo? Column(TableInfo table)
    {
        var geography = table.Columns.Where(c => c.Scalar == "geography").ToList();
        return geography.Count == 1 && table.FindColumn(Name) is null ? geography[0] : null;
    }
}
