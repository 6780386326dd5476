using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.Values;

namespace Peregrine.Graph.Sql.BoolExp.Operators;

/// <summary>jsonb containment and key existence.</summary>
public static class JsonbOperators
{
    public static readonly IReadOnlyDictionary<string, OperatorSql> All = new Dictionary<string, OperatorSql>
    {
        ["_contains"] = (w, col, column, operand) => { w.Append(col).Append(" @> "); ValueSql.Write(w, operand, column); },
        ["_contained_in"] = (w, col, column, operand) => { w.Append(col).Append(" <@ "); ValueSql.Write(w, operand, column); },
        ["_has_key"] = (w, col, _, operand) => w.Append(col).Append(" ? ").Param(operand?.GetValue<string>()).Append("::text"),
        ["_has_keys_any"] = (w, col, _, operand) => w.Append(col).Append(" ?| ").Param(Keys(operand)).Append("::text[]"),
        ["_has_keys_all"] = (w, col, _, operand) => w.Append(col).Append(" ?& ").Param(Keys(operand)).Append("::text[]"),
    };

    private static string?[] Keys(JsonNode? operand) =>
        operand is JsonArray a ? a.Select(x => x?.GetValue<string>()).ToArray() : [operand?.GetValue<string>()];
}
