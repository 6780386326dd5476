using System.Text.Json.Nodes;
using Peregrine.Graph.Sql.Values;

namespace Peregrine.Graph.Sql.BoolExp.Operators;

/// <summary>jsonb containment and key existence.</summary>
public static class JsonbOperators
{
    public static readonly IReadOnlyDictionary<string, OperatorSql> All = new Dictionary<string, OperatorSql>
    {
        ["_contains"] = Infix("@>"),
        ["_contained_in"] = Infix("<@"),
        ["_has_key"] = (w, left, _, operand) =>
        {
            left(w);
            w.Append(" ? ").Param(operand?.GetValue<string>()).Append("::text");
        },
        ["_has_keys_any"] = Keys("?|"),
        ["_has_keys_all"] = Keys("?&"),
    };

    private static OperatorSql Infix(string op) => (w, left, column, operand) =>
    {
        left(w);
        w.Append(' ').Append(op).Append(' ');
        ValueSql.Write(w, operand, column);
    };

    private static OperatorSql Keys(string op) => (w, left, _, operand) =>
    {
        left(w);
        var keys = operand is JsonArray a ? a.Select(x => x?.GetValue<string>()).ToArray() : [operand?.GetValue<string>()];
        w.Append(' ').Append(op).Append(' ').Param(keys).Append("::text[]");
    };
}
