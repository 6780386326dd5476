using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Ir;

/// <summary>Reads <c>order_by</c> (a list of <c>&lt;table&gt;_order_by</c>, keys in the order written).</summary>
public static class OrderByBuilder
{
    public static List<OrderByItem> Build(JsonNode? orderBy, TableInfo table, CatalogMetadata catalog)
    {
        var items = new List<OrderByItem>();
        IEnumerable<JsonNode?> list = orderBy is JsonArray a ? a : new[] { orderBy };
        foreach (var node in list)
            if (node is JsonObject o) Add(o, table, catalog, [], items);
        return items;
    }

    private static void Add(JsonObject obj, TableInfo table, CatalogMetadata catalog,
        IReadOnlyList<RelationshipInfo> path, List<OrderByItem> items)
    {
        foreach (var (key, value) in obj)
        {
            if (value is null) continue;
            if (table.FindColumn(key) is { } column)
            {
                items.Add(Item(path, column, value));
            }
            else if (key == DistanceField.Name && DistanceField.Column(table) is { } located && value is JsonObject distance)
            {
                items.Add(Item(path, located, distance["order"] ?? JsonValue.Create("asc")!) with { DistanceFrom = distance["from"]?.DeepClone() });
            }
            else if (table.FindRelationship(key) is { Kind: RelationshipKind.Object } rel && value is JsonObject nested)
            {
                Add(nested, catalog.Table(rel.RemoteTable), catalog, [.. path, rel], items);
            }
            else if (key.EndsWith("_aggregate", StringComparison.Ordinal)
                && table.FindRelationship(key[..^"_aggregate".Length]) is { Kind: not RelationshipKind.Object } arrayRel
                && value is JsonObject aggregate)
            {
                var remote = catalog.Table(arrayRel.RemoteTable);
                foreach (var (fn, spec) in aggregate)
                {
                    if (spec is null) continue;
                    if (fn == "count")
                        items.Add(Item(path, null, spec) with { Aggregate = new AggregateOrderKey(arrayRel, "count", null) });
                    else if (spec is JsonObject columns)
                        foreach (var (col, dir) in columns)
                            if (dir is not null)
                                items.Add(Item(path, null, dir) with { Aggregate = new AggregateOrderKey(arrayRel, fn, remote.Column(col)) });
                }
            }
        }
    }

    private static OrderByItem Item(IReadOnlyList<RelationshipInfo> path, ColumnInfo? column, JsonNode direction)
    {
        var dir = direction.GetValue<string>();
        var desc = dir.StartsWith("desc", StringComparison.Ordinal);
        // PostgreSQL's defaults: ASC puts nulls last, DESC puts them first.
        var nullsFirst = dir.EndsWith("_nulls_first", StringComparison.Ordinal)
            || (desc && !dir.EndsWith("_nulls_last", StringComparison.Ordinal));
        return new OrderByItem(path, column, desc, nullsFirst);
    }
}
