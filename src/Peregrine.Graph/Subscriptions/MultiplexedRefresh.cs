using Npgsql;
using NpgsqlTypes;
using Peregrine.Graph.Compile;
using Peregrine.Graph.Sql;

namespace Peregrine.Graph.Subscriptions;

/// <summary>Runs the statement <see cref="MultiplexedQuery"/> builds for many groups of one shape and splits its rows by group.</summary>
internal static class MultiplexedRefresh
{
    /// <summary>The JSON of each root field for each group, in the order given (null for a group the statement did not answer).</summary>
    public static async Task<string[][]> RunAsync(NpgsqlDataSource dataSource,
        IReadOnlyList<IReadOnlyList<(string Key, CompiledStatement Statement)>> groups, CancellationToken ct)
    {
        var statement = MultiplexedQuery.Build(groups);
        var roots = groups[0].Count;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(statement.Sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = statement.Groups });
        foreach (var column in statement.Columns)
            cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = column });
        var results = new string[groups.Count][];
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var i = reader.GetInt32(0);
            var row = new string[roots];
            for (var k = 0; k < roots; k++) row[k] = reader.IsDBNull(k + 1) ? "null" : reader.GetString(k + 1);
            results[i] = row;
        }
        return results;
    }
}
