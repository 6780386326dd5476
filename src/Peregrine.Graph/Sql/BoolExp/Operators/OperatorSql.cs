using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Sql.BoolExp.Operators;

/// <summary>Writes one comparison: <c>left</c> writes the compared expression (a column, a count), the operand is a client value.</summary>
public delegate void OperatorSql(SqlWriter w, Action<SqlWriter> left, ColumnInfo column, JsonNode? operand);

/// <summary>All operators by name; each family of operators lives in its own file.</summary>
public static class OperatorTable
{
    private static readonly Dictionary<string, OperatorSql> All = new[]
        {
            ComparisonOperators.All, TextOperators.All, JsonbOperators.All, PostGisOperators.All, H3Operators.All
        }
        .SelectMany(d => d)
        .ToDictionary(kv => kv.Key, kv => kv.Value);

    public static OperatorSql? Find(string name) => All.GetValueOrDefault(name);
}
