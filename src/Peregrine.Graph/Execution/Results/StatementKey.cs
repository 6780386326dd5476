using System.Globalization;
using System.Text;
using Peregrine.Graph.Sql;

namespace Peregrine.Graph.Execution.Results;

/// <summary>
/// What a read statement's answer depends on besides the data: its text and its parameter values. Roles,
/// permissions and session variables are already in one or the other, so no GraphQL-level key is needed.
/// </summary>
public readonly record struct StatementKey(string Sql, string Parameters)
{
    public static StatementKey Of(CompiledStatement statement)
    {
        var parameters = new StringBuilder();
        foreach (var value in statement.Parameters) Append(parameters, value);
        return new StatementKey(statement.Sql, parameters.ToString());
    }

    /// <summary>Bytes held by the key, charged to the cache's budget.</summary>
    public long Size => 2L * (Sql.Length + Parameters.Length);

    // Each value is tagged and length-prefixed, so no two parameter lists encode alike.
    private static void Append(StringBuilder key, object? value)
    {
        switch (value)
        {
            case null: key.Append('N'); break;
            case string s: key.Append('S').Append(s.Length).Append(':').Append(s); break;
            case string[] a:
                key.Append('A').Append(a.Length).Append(':');
                foreach (var s in a) Append(key, s);
                break;
            default:
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                key.Append('O').Append(value.GetType().Name).Append(':').Append(text.Length).Append(':').Append(text);
                break;
        }
    }
}
