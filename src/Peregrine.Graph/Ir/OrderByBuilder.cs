using System.Text.Json.Nodes;
using Peregrine.Graph.Ir.Permissions;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Ir;

/// <summary>
/// Reads <c>order_by</c> (a list of <c>&lt;table&gt;_order_by</c>, keys in the order written). With the role's
/// <see cref="RoleRules"/>, a key may name only columns the role sees on every row, and each relationship
/// it goes through carries the related table's row filter: an object relationship to a row the role
/// cannot read orders as NULL, an aggregate counts only the related rows it can read.
/// </summary>
public static class OrderByBuilder
{
    public static List<OrderByItem> Build(JsonNode? orderBy, TableInfo table, CatalogMetadata catalog, RoleRules? rules = null, string path = "$")
    {
        var items = new List<OrderByItem>();
        IEnumerable<JsonNode?> list = orderBy is JsonArray a ? a : new[] { orderBy };
        foreach (var node in list)
            if (node is JsonObject o) Add(o, table, catalog, rules, [], [], items, path);
        return items;
    }

    private static void Add(JsonObject obj, TableInfo table, CatalogMetadata catalog, RoleRules? rules,
        IReadOnlyList<RelationshipInfo> path, IReadOnlyList<BoolExp?> pathFilters, List<OrderByItem> items, string at)
    {
        foreach (var (key, value) in obj)
        {
            if (value is null) continue;
            if (table.FindColumn(key) is { } column)
            {
                if (rules is not null) ArgumentColumns.Require(table, key, $"{at}.order_by.{key}");
                items.Add(Item(path, pathFilters, column, value));
            }
            else if (key == DistanceField.Name && DistanceField.Column(table) is { } located && value is JsonObject distance)
            {
                if (rules is not null) ArgumentColumns.Require(table, located.Name, $"{at}.order_by.{key}");
                items.Add(Item(path, pathFilters, located, distance["order"] ?? JsonValue.Create("asc")!) with { DistanceFrom = distance["from"]?.DeepClone() });
            }
            else if (table.FindRelationship(key) is { Kind: RelationshipKind.Object } rel && value is JsonObject nested)
            {
                var remote = catalog.Table(rel.RemoteTable);
                Add(nested, remote, catalog, rules, [.. path, rel], [.. pathFilters, rules?.Select(remote).Filter], items, at);
            }
            else if (key.EndsWith("_aggregate", StringComparison.Ordinal)
                && table.FindRelationship(key[..^"_aggregate".Length]) is { Kind: not RelationshipKind.Object } arrayRel
                && value is JsonObject aggregate)
            {
                var remote = catalog.Table(arrayRel.RemoteTable);
                if (rules is not null && !remote.Access.AllowAggregations)
                    throw new Errors.ValidationFailedError($"field '{key}' not found in type: '{table.Name}_order_by'", $"{at}.order_by.{key}");
                var filter = rules?.Select(remote).Filter;
                foreach (var (fn, spec) in aggregate)
                {
                    if (spec is null) continue;
                    if (fn == "count")
                        items.Add(Item(path, pathFilters, null, spec) with { Aggregate = new AggregateOrderKey(arrayRel, "count", null) { Filter = filter } });
                    else if (spec is JsonObject columns)
                        foreach (var (col, dir) in columns)
                            if (dir is not null)
                                items.Add(Item(path, pathFilters, null, dir) with
                                {
                                    Aggregate = new AggregateOrderKey(arrayRel, fn,
                                        rules is null ? remote.Column(col) : ArgumentColumns.Require(remote, col, $"{at}.order_by.{key}.{fn}")) { Filter = filter }
                                });
                }
            }
            else if (rules is not null)
                throw new Errors.ValidationFailedError($"field '{key}' not found in type: '{table.Name}_order_by'", $"{at}.order_by.{key}");
        }
    }

    private static OrderByItem Item(IReadOnlyList<RelationshipInfo> path, IReadOnlyList<BoolExp?> pathFilters, ColumnInfo? column, JsonNode direction)
    {
        var dir = direction.GetValue<string>();
        var desc = dir.StartsWith("desc", StringComparison.Ordinal);
        // PostgreSQL's defaults: ASC puts nulls last, DESC puts them first.
        var nullsFirst = dir.EndsWith("_nulls_first", StringComparison.Ordinal)
            || (desc && !dir.EndsWith("_nulls_last", StringComparison.Ordinal));
        return new OrderByItem(path, column, desc, nullsFirst) { PathFilters = pathFilters };
    }
}
