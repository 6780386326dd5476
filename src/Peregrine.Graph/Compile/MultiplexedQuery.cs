using System.Globalization;
using System.Text;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Sql.Tree;

namespace Peregrine.Graph.Compile;

/// <summary>
/// Many groups of one shape as one statement, Hasura's multiplexing: the groups' parameters are unnested into
/// rows and each root field's statement runs per row as a scalar subquery, its parameter slots rendered as that
/// row's columns (every parameter is text, cast by the statement itself, so a column holds the same meaning; an
/// array parameter travels as an array literal). Built from the statements' trees: no text is searched or rewritten.
/// <code>SELECT g.i, (…g.p0_1…), (…) FROM unnest($1::int[], $2::text[], …) AS g(i, p0_1, …)</code>
/// </summary>
public static class MultiplexedQuery
{
    /// <summary>The shape key: groups with equal keys share one multiplexed statement.</summary>
    public static string ShapeOf(IReadOnlyList<(string Key, CompiledStatement Statement)> roots)
    {
        var sb = new StringBuilder();
        foreach (var (key, s) in roots)
        {
            sb.Append(key).Append('\u0001').Append(s.Sql).Append('\u0001');
            foreach (var p in s.Parameters) sb.Append(p is string[] ? 'a' : 's');
            sb.Append('\u0002');
        }
        return sb.ToString();
    }

    /// <summary>
    /// The statement refreshing <paramref name="groups"/> (each a list of root statements of one shape): its text, then
    /// its parameters — the groups' positions (int[]) and per slot of each root, every group's value (text[]).
    /// </summary>
    public static MultiplexedStatement Build(IReadOnlyList<IReadOnlyList<(string Key, CompiledStatement Statement)>> groups)
    {
        var shape = groups[0];
        var sql = new StringBuilder("SELECT g.i");
        var columns = new StringBuilder("i");
        var unnest = new StringBuilder("$1::int[]");
        var parameterIndex = 1;
        var values = new List<string?[]>();
        for (var k = 0; k < shape.Count; k++)
        {
            var statement = shape[k].Statement;
            var root = k;
            sql.Append(", (").Append(statement.Body.Render(slot => Column(root, slot))).Append(')');
            for (var n = 0; n < statement.Parameters.Count; n++)
            {
                columns.Append(", p").Append(k).Append('_').Append(n + 1);
                unnest.Append(", $").Append(++parameterIndex).Append("::text[]");
                var column = new string?[groups.Count];
                for (var g = 0; g < groups.Count; g++) column[g] = Text(groups[g][k].Statement.Parameters[n]);
                values.Add(column);
            }
        }
        sql.Append(" FROM unnest(").Append(unnest).Append(") AS g(").Append(columns).Append(')');
        return new MultiplexedStatement(sql.ToString(), Enumerable.Range(0, groups.Count).ToArray(), values);
    }

    // A slot becomes the row's column; a text[] slot's column holds the array literal, cast back here.
    private static string Column(int root, SqlSlot slot) =>
        slot.Type == SqlType.TextArray ? $"(g.p{root}_{slot.Index + 1})::text[]" : $"g.p{root}_{slot.Index + 1}";

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        string[] a => ArrayLiteral(a),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)
    };

    // PostgreSQL's array input syntax: every element quoted, backslash and quote escaped.
    private static string ArrayLiteral(string?[] items)
    {
        var sb = new StringBuilder("{");
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0) sb.Append(',');
            if (items[i] is not { } item) { sb.Append("NULL"); continue; }
            sb.Append('"').Append(item.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
        }
        return sb.Append('}').ToString();
    }
}

/// <param name="Groups">The first parameter: each group's position, answered in the first column.</param>
/// <param name="Columns">The other parameters, in order: one text[] per slot of each root statement.</param>
public sealed record MultiplexedStatement(string Sql, int[] Groups, IReadOnlyList<string?[]> Columns);
