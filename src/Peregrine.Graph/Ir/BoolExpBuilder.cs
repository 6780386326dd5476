using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>Reads a <c>&lt;table&gt;_bool_exp</c> value into <see cref="BoolExp"/>. Keys are combined with AND.</summary>
public static class BoolExpBuilder
{
    public static BoolExp Build(JsonObject where, TableInfo table, CatalogMetadata catalog, string path)
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
                    items.Add(new AndExp(List(value).Select((x, i) => Build(x, table, catalog, $"{at}[{i}]")).ToList()));
                    break;
                case "_or":
                    items.Add(new OrExp(List(value).Select((x, i) => Build(x, table, catalog, $"{at}[{i}]")).ToList()));
                    break;
                case "_not":
                    items.Add(new NotExp(Build(value.AsObject(), table, catalog, at)));
                    break;
                default:
                    if (table.FindColumn(key) is { } column)
                    {
                        foreach (var (op, operand) in value.AsObject())
                            if (operand is not null || op == "_is_null")
                                items.Add(new ColumnCompareExp(column, op, operand));
                    }
                    else if (table.FindRelationship(key) is { } rel)
                    {
                        var remote = catalog.Table(rel.RemoteTable);
                        items.Add(new RelationshipExp(rel, remote, Build(value.AsObject(), remote, catalog, at)));
                    }
                    else throw new ValidationFailedError($"field '{key}' not found in type: '{table.Name}_bool_exp'", at);
                    break;
            }
        }
        return items.Count == 1 ? items[0] : new AndExp(items);
    }

    // GraphQL input coercion lets a single value stand for a one-element list.
    private static IEnumerable<JsonObject> List(JsonNode node) =>
        node is JsonArray a ? a.Where(x => x is not null).Select(x => x!.AsObject()) : [node.AsObject()];
}
