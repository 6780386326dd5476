using Peregrine.Graph.Sql.Values;

namespace Peregrine.Graph.Sql.BoolExp.Operators;

/// <summary>Pattern operators on text columns: LIKE, ILIKE, SIMILAR TO and POSIX regular expressions.</summary>
public static class TextOperators
{
    public static readonly IReadOnlyDictionary<string, OperatorSql> All = new Dictionary<string, OperatorSql>
    {
        ["_like"] = Pattern("LIKE"),
        ["_nlike"] = Pattern("NOT LIKE"),
        ["_ilike"] = Pattern("ILIKE"),
        ["_nilike"] = Pattern("NOT ILIKE"),
        ["_similar"] = Pattern("SIMILAR TO"),
        ["_nsimilar"] = Pattern("NOT SIMILAR TO"),
        ["_regex"] = Pattern("~"),
        ["_nregex"] = Pattern("!~"),
        ["_iregex"] = Pattern("~*"),
        ["_niregex"] = Pattern("!~*"),
    };

    private static OperatorSql Pattern(string op) => (w, left, column, operand) =>
    {
        left(w);
        w.Append(' ').Append(op).Append(' ')
            .Param(operand is null ? null : ValueSql.Text(operand, column)).Append("::text");
    };
}
