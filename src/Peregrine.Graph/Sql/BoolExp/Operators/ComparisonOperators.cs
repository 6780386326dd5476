using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.Values;

namespace Peregrine.Graph.Sql.BoolExp.Operators;

/// <summary><c>_eq _neq _gt _gte _lt _lte _in _nin _is_null</c>, for every scalar.</summary>
public static class ComparisonOperators
{
    public static readonly IReadOnlyDictionary<string, OperatorSql> All = new Dictionary<string, OperatorSql>
    {
        ["_eq"] = Binary("="),
        ["_neq"] = Binary("<>"),
        ["_gt"] = Binary(">"),
        ["_gte"] = Binary(">="),
        ["_lt"] = Binary("<"),
        ["_lte"] = Binary("<="),
        ["_in"] = (w, left, column, operand) =>
        {
            left(w);
            w.Append(" = ANY(");
            ValueSql.WriteArray(w, operand, column);
            w.Append(')');
        },
        ["_nin"] = (w, left, column, operand) =>
        {
            w.Append("NOT (");
            left(w);
            w.Append(" = ANY(");
            ValueSql.WriteArray(w, operand, column);
            w.Append("))");
        },
        ["_is_null"] = (w, left, _, operand) =>
        {
            left(w);
            w.Append(operand is not null && operand.GetValue<bool>() ? " IS NULL" : " IS NOT NULL");
        },
    };

    private static OperatorSql Binary(string op) => (w, left, column, operand) =>
    {
        left(w);
        w.Append(' ').Append(op).Append(' ');
        ValueSql.Write(w, operand, column);
    };
}
