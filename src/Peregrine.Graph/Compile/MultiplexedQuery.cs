using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Peregrine.Graph.Sql;

namespace Peregrine.Graph.Compile;

/// <summary>
/// Refreshes many groups of one shape with one statement, Hasura's multiplexing: the groups' parameters
/// are unnested into rows and each root field's statement runs per row as a scalar subquery, its
/// <c>$n</c> placeholders rewritten to that row's columns (every parameter is text, cast by the statement
/// itself, so the rewrite keeps its meaning; an array parameter travels as an array literal).
/// <code>SELECT g.i, (…g.p0_1…), (…) FROM unnest($1::int[], $2::text[], …) AS g(i, p0_1, …)</code>
/// </summary>
public static partial class MultiplexedQuery
{
    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Placeholder();

    /// <summary>The shape key, or null when a statement cannot be multiplexed safely.</summary>
    public static string? ShapeOf(IReadOnlyList<(string Key, CompiledStatement Statement)> roots)
    {
        var sb = new StringBuilder();
        foreach (var (key, s) in roots)
        {
            // Every '$' must be a placeholder of this statement: then rewriting cannot touch anything else.
            var placeholders = Placeholder().Matches(s.Sql);
            if (placeholders.Count != s.Sql.Count(c => c == '$')) return null;
            if (placeholders.Any(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is var n && (n < 1 || n > s.Parameters.Count))) return null;
            sb.Append(key).Append('\u0001').Append(s.Sql).Append('\u0001');
            foreach (var p in s.Parameters) sb.Append(p is string[] ? 'a' : 's');
            sb.Append('\u0002');
        }
        return sb.ToString();
    }

    /// <summary>The JSON of each root field for each group, in the order given.</summary>
    public static async Task<string[][]> RunAsync(NpgsqlDataSource dataSource,
        IReadOnlyList<IReadOnlyList<(string Key, CompiledStatement Statement)>> groups, CancellationToken ct)
    {
        var shape = groups[0];
        var sql = new StringBuilder("SELECT g.i");
        var columns = new StringBuilder("i");
        var unnest = new StringBuilder("$1::int[]");
        var parameterIndex = 1;
        for (var k = 0; k < shape.Count; k++)
        {
            var statement = shape[k].Statement;
            var rewritten = Placeholder().Replace(statement.Sql, m =>
            {
                var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                return statement.Parameters[n - 1] is string[] ? $"(g.p{k}_{n})::text[]" : $"g.p{k}_{n}";
            });
            sql.Append(", (").Append(rewritten).Append(')');
            for (var n = 1; n <= statement.Parameters.Count; n++)
            {
                columns.Append(", p").Append(k).Append('_').Append(n);
                unnest.Append(", $").Append(++parameterIndex).Append("::text[]");
            }
        }
        sql.Append(" FROM unnest(").Append(unnest).Append(") AS g(").Append(columns).Append(')');

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(sql.ToString(), connection);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = Enumerable.Range(0, groups.Count).ToArray() });
        for (var k = 0; k < shape.Count; k++)
        {
            for (var n = 0; n < shape[k].Statement.Parameters.Count; n++)
            {
                var values = new string?[groups.Count];
                for (var g = 0; g < groups.Count; g++) values[g] = Text(groups[g][k].Statement.Parameters[n]);
                cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values });
            }
        }
        var results = new string[groups.Count][];
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var i = reader.GetInt32(0);
            var row = new string[shape.Count];
            for (var k = 0; k < shape.Count; k++) row[k] = reader.IsDBNull(k + 1) ? "null" : reader.GetString(k + 1);
            results[i] = row;
        }
        return results;
    }

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
