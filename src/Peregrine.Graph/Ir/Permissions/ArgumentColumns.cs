using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir.Permissions;

/// <summary>
/// The second lock behind the role's schema: a column named in an argument must be one the role sees on
/// every row (<see cref="TableInfo.IsFilterable"/>). The role's generated types already leave the others
/// out, so GraphQL validation refuses them first; this holds when a value arrives some other way.
/// </summary>
public static class ArgumentColumns
{
    public static bool Filterable(TableInfo table, ColumnInfo column) => table.IsFilterable(column);

    /// <summary>The column <paramref name="name"/> (a JSON string) of <paramref name="table"/>, or a validation error.</summary>
    public static ColumnInfo Require(TableInfo table, JsonNode? name, string path)
    {
        var text = name is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : name?.ToJsonString() ?? "null";
        return Require(table, text, path);
    }

    public static ColumnInfo Require(TableInfo table, string name, string path) =>
        table.FindColumn(name) is { } column && table.IsFilterable(column)
            ? column
            : throw new ValidationFailedError($"column '{name}' of '{table.Name}' cannot be used here by this role", path);
}
