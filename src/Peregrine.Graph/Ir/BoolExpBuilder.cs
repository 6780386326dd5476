using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Ir.Permissions;

namespace Peregrine.Graph.Ir;

/// <summary>
/// Reads a <c>&lt;table&gt;_bool_exp</c> value into <see cref="BoolExp"/>. Keys are combined with AND.
/// A client's argument is read with the role's <see cref="Permissions.RoleRules"/>: it may name only the
/// columns the role sees on every row, and each relationship it follows carries the related table's row
/// filter, so EXISTS and count subqueries look at the rows the role may read and no others. The role's
/// own rules (permission filters, checks) are read without: they may look anywhere.
/// </summary>
public static class BoolExpBuilder
{
    // Every operator the schema offers; GraphQL validation holds clients to these, this holds the permissions file.
    private static readonly HashSet<string> KnownOperators =
    [
        "_eq", "_neq", "_gt", "_gte", "_lt", "_lte", "_in", "_nin", "_is_null",
        "_like", "_nlike", "_ilike", "_nilike", "_similar", "_nsimilar", "_regex", "_nregex", "_iregex", "_niregex",
        "_contains", "_contained_in", "_has_key", "_has_keys_any", "_has_keys_all", "_cast",
        "_st_contains", "_st_crosses", "_st_d_within", "_st_equals", "_st_intersects", "_st_overlaps", "_st_touches", "_st_within",
        "_h3_in_cell", "_h3_grid_disk",
    ];

    public static BoolExp Build(JsonObject where, TableInfo table, CatalogMetadata catalog, string path, Permissions.RoleRules? rules = null)
    {
        var items = new List<BoolExp>();
        foreach (var (key, value) in where)
        {
            var at = $"{path}.{key}";
            // Hasura (v2 default) treats a null operand as "no condition".
            if (value is null) continue;
            switch (key)
            {
                case "_and":
                    items.Add(new AndExp(List(value).Select((x, i) => Build(x, table, catalog, $"{at}[{i}]", rules)).ToList()));
                    break;
                case "_or":
                    items.Add(new OrExp(List(value).Select((x, i) => Build(x, table, catalog, $"{at}[{i}]", rules)).ToList()));
                    break;
                case "_not":
                    items.Add(new NotExp(Build(value.AsObject(), table, catalog, at, rules)));
                    break;
                default:
                    if (table.FindColumn(key) is { } column && (rules is null || ArgumentColumns.Filterable(table, column)))
                    {
                        foreach (var (op, operand) in value.AsObject())
                        {
                            if (!KnownOperators.Contains(op))
                                throw new ValidationFailedError($"unknown operator '{op}' on column '{key}'", at);
                            if (op == "_cast" && operand is JsonObject casts)
                            {
                                foreach (var (scalar, ops) in casts)
                                {
                                    if (ops is not JsonObject castOps) continue;
                                    var cast = column with { Scalar = scalar, PgType = scalar == "String" ? "text" : scalar };
                                    foreach (var (castOp, castOperand) in castOps)
                                        if (castOperand is not null || castOp == "_is_null")
                                            items.Add(new ColumnCompareExp(column, castOp, castOperand) { CastTo = cast });
                                }
                                continue;
                            }
                            if (op is "_h3_in_cell" or "_h3_grid_disk" && catalog.H3Columns(table.Name) is { } h3 && h3.IndexColumn == column.Name)
                            {
                                // Compiled against the resolution-15 cell column: a range scan, not a per-row function.
                                if (operand is not null) items.Add(new ColumnCompareExp(table.Column(h3.Cell15Column), op, operand.DeepClone()));
                                continue;
                            }
                            if (operand is not null || op == "_is_null")
                                items.Add(new ColumnCompareExp(column, op, operand));
                        }
                    }
                    else if (table.FindRelationship(key) is { } rel)
                    {
                        var remote = catalog.Table(rel.RemoteTable);
                        var inner = Build(value.AsObject(), remote, catalog, at, rules);
                        items.Add(new RelationshipExp(rel, remote, Permissions.RoleRules.And(inner, rules?.Select(remote).Filter)!));
                    }
                    else if (AggregatePredicate(key, value, table, catalog, at, rules) is { } aggregate)
                    {
                        items.Add(aggregate);
                    }
                    else throw new ValidationFailedError($"field '{key}' not found in type: '{table.Name}_bool_exp'", at);
                    break;
            }
        }
        return items.Count == 1 ? items[0] : new AndExp(items);
    }

    /// <summary>The row named by its primary key columns in <paramref name="values"/> (a <c>_by_pk</c> argument).</summary>
    public static BoolExp PrimaryKey(TableInfo table, JsonObject? values)
    {
        var conditions = table.PrimaryKey
            .Select(col => (BoolExp)new ColumnCompareExp(table.Column(col), "_eq", values?[col]?.DeepClone()))
            .ToList();
        return conditions.Count == 1 ? conditions[0] : new AndExp(conditions);
    }

    private static AggregateCountExp? AggregatePredicate(string key, JsonNode value, TableInfo table, CatalogMetadata catalog, string path,
        Permissions.RoleRules? rules)
    {
        if (!key.EndsWith("_aggregate", StringComparison.Ordinal)) return null;
        if (table.FindRelationship(key[..^"_aggregate".Length]) is not { Kind: not RelationshipKind.Object } rel) return null;
        if (value["count"] is not JsonObject count) return null;
        var remote = catalog.Table(rel.RemoteTable);
        if (rules is not null && !remote.Access.AllowAggregations) return null;
        var arguments = (count["arguments"] as JsonArray ?? [])
            .Select(c => rules is null ? remote.Column(c!.GetValue<string>()) : ArgumentColumns.Require(remote, c, $"{path}.count.arguments"))
            .ToList();
        var distinct = count["distinct"] is JsonValue d && d.GetValue<bool>();
        // Only the related rows the role may read are counted.
        var filter = Permissions.RoleRules.And(
            count["filter"] is JsonObject f ? Build(f, remote, catalog, $"{path}.count.filter", rules) : null,
            rules?.Select(remote).Filter);
        var predicate = (count["predicate"] as JsonObject ?? [])
            .Where(p => p.Value is not null || p.Key == "_is_null")
            .Select(p => (p.Key, p.Value?.DeepClone()))
            .ToList();
        return new AggregateCountExp(rel, remote, arguments, distinct, filter, predicate);
    }

    // GraphQL input coercion lets a single value stand for a one-element list.
    private static IEnumerable<JsonObject> List(JsonNode node) =>
        node is JsonArray a ? a.Where(x => x is not null).Select(x => x!.AsObject()) : [node.AsObject()];
}
