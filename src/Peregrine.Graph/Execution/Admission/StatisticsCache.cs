using System.Diagnostics;
using Npgsql;
using Peregrine.Graph.Ir;

namespace Peregrine.Graph.Execution.Admission;

/// <summary>
/// PostgreSQL's table statistics for the cost estimate (<see cref="QueryCostEstimator"/>): rows from
/// <c>pg_class.reltuples</c> (the table's size over 100 bytes a row when it was never analysed) and
/// distinct values per column from <c>pg_stats</c>. Reloaded at most once a minute by the request that finds
/// them old; requests arriving meanwhile keep using the previous ones.
/// </summary>
public sealed class StatisticsCache(NpgsqlDataSource dataSource)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private const string Sql = """
        SELECT c.relname::text,
               CASE WHEN c.reltuples >= 0 THEN c.reltuples::float8 ELSE pg_relation_size(c.oid) / 100.0 END,
               coalesce(array_agg(s.attname::text) FILTER (WHERE s.attname IS NOT NULL), '{}'),
               coalesce(array_agg(s.n_distinct::float8) FILTER (WHERE s.attname IS NOT NULL), '{}')
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND NOT s.inherited
        WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false))
        GROUP BY c.oid, c.relname, c.reltuples
        """;

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Loaded? _current;

    private sealed record Loaded(TableStatistics Statistics, long At);

    public async ValueTask<TableStatistics> GetAsync(CancellationToken ct)
    {
        var current = _current;
        if (current is not null && (Stopwatch.GetElapsedTime(current.At) < MaxAge || !_loading.Wait(0))) return current.Statistics;
        if (current is null) await _loading.WaitAsync(ct);
        try
        {
            if (_current is { } fresh && Stopwatch.GetElapsedTime(fresh.At) < MaxAge) return fresh.Statistics;
            var loaded = new Loaded(await LoadAsync(ct), Stopwatch.GetTimestamp());
            _current = loaded;
            return loaded.Statistics;
        }
        finally { _loading.Release(); }
    }

    private async Task<TableStatistics> LoadAsync(CancellationToken ct)
    {
        // Not part of the request that happens to find the statistics old: keep it out of that request's trace.
        var trace = Activity.Current;
        Activity.Current = null;
        try { return await ReadAsync(ct); }
        finally { Activity.Current = trace; }
    }

    private async Task<TableStatistics> ReadAsync(CancellationToken ct)
    {
        var tables = new Dictionary<string, TableStatistics.Table>();
        await using var cmd = dataSource.CreateCommand(Sql);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var columns = reader.GetFieldValue<string[]>(2);
            var distinct = reader.GetFieldValue<double[]>(3);
            var byColumn = new Dictionary<string, double>();
            for (var i = 0; i < columns.Length; i++) byColumn[columns[i]] = distinct[i];
            tables[reader.GetString(0)] = new TableStatistics.Table(reader.GetDouble(1), byColumn);
        }
        return new TableStatistics(tables);
    }
}
