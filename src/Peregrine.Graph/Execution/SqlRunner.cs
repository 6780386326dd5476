using Npgsql;
using NpgsqlTypes;
using Peregrine.Graph.Compile;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution.Admission;
using Peregrine.Graph.Execution.Replicas;
using Peregrine.Graph.Execution.Results;
using Peregrine.Graph.Sql;

namespace Peregrine.Graph.Execution;

/// <summary>
/// Runs compiled statements. Every statement answers one JSON value in its first row and column. Reads go where
/// <see cref="ReadReplicas"/> sends them (a replica, else the primary); transactions always run on the primary.
/// </summary>
public sealed class SqlRunner(NpgsqlDataSource dataSource, ResultCache cache, HeavyQueryLane heavy, ReadReplicas replicas)
{
    // Queries in flight at once: twice the pool, enough to keep every connection's pipeline full. The rest
    // wait here, first come first served; left to pile up inside the pipeline under overload, some requests
    // were overtaken for hundreds of milliseconds (feed at 32 connections: p99 230 ms, with this 65 ms,
    // same throughput).
    private readonly SemaphoreSlim _admission = new(2 * new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);

    /// <summary>Read-only root fields go to PostgreSQL in one batch: one round trip whatever their number.</summary>
    public async Task<string[]> QueryAsync(IReadOnlyList<CompiledStatement> statements, CancellationToken ct) =>
        (await QueryJsonAsync(statements, QueryRun.Default, ct)).Select(j => j.ToString()).ToArray();

    /// <summary>As <see cref="QueryAsync"/>, keeping each answer as the UTF-8 bytes PostgreSQL sent (a <c>json</c> value's binary form is its text).</summary>
    /// <remarks>
    /// Identical batches that arrive together run once (<see cref="SingleFlight{T}"/>): under a burst of cache
    /// misses (every write empties the result cache) the same statement would otherwise run once per request.
    /// </remarks>
    public async Task<JsonText[]> QueryJsonAsync(IReadOnlyList<CompiledStatement> statements, QueryRun run, CancellationToken ct)
    {
        var keys = statements.Select(StatementKey.Of).ToArray();
        var cached = cache.Enabled ? keys.Select(cache.Find).ToArray() : null;
        var answers = await _flights.RunAsync(FlightKey(keys, cached, run), close => QueryOnceAsync(statements, keys, cached, run, close, ct), ct);
        // Each caller gets its own array: the JSON values are immutable, the array is not.
        return (JsonText[])answers.Clone();
    }

    private readonly SingleFlight<JsonText[]> _flights = new();

    /// <summary>Requests answered by another request's statement, see <see cref="SingleFlight{T}"/>.</summary>
    public long JoinedFlights => _flights.Joined;

    /// <summary>Batches sent to PostgreSQL by this runner (read statements; a test hook and a telemetry figure).</summary>
    public long BatchesSent => Interlocked.Read(ref _batchesSent);
    private long _batchesSent;

    // Same statements and values, the same kept answers to guard (their snapshots), the same lane and time limit:
    // then one answer serves all. The role is in the statements (permission filters, session variables as values).
    private static string FlightKey(StatementKey[] keys, CachedResult?[]? cached, QueryRun run)
    {
        var key = new System.Text.StringBuilder();
        key.Append(run.Heavy ? 'H' : 'L').Append(run.LimitMs).Append('|');
        for (var i = 0; i < keys.Length; i++)
        {
            key.Append(keys[i].Sql.Length).Append(':').Append(keys[i].Sql)
                .Append(keys[i].Parameters.Length).Append(':').Append(keys[i].Parameters);
            var snapshot = cached?[i]?.Snapshot ?? "";
            key.Append(snapshot.Length).Append(':').Append(snapshot);
        }
        return key.ToString();
    }

    private async Task<JsonText[]> QueryOnceAsync(IReadOnlyList<CompiledStatement> statements, StatementKey[] keys, CachedResult?[]? cached,
        QueryRun run, Action close, CancellationToken ct)
    {
        if (await replicas.PickAsync(ReadFloor.Current, ct) is { } replica)
        {
            try
            {
                var answers = await QueryOnAsync(replica.DataSource, replica.Heavy, replica.Admission, onReplica: true, statements, keys, cached, run, close, ct);
                replica.CountRead();
                return answers;
            }
            // The replica went away (or cancelled the statement for replay): the same read, on the primary.
            catch (NpgsqlException e) when (ReadReplicas.ShouldFallBack(e) && !ct.IsCancellationRequested) { replicas.MarkDown(replica, e); }
        }
        replicas.CountPrimaryRead();
        return await QueryOnAsync(dataSource, heavy, _admission, onReplica: false, statements, keys, cached, run, close, ct);
    }

    private async Task<JsonText[]> QueryOnAsync(NpgsqlDataSource source, HeavyQueryLane lane, SemaphoreSlim admission, bool onReplica,
        IReadOnlyList<CompiledStatement> statements, StatementKey[] keys, CachedResult?[]? cached, QueryRun run, Action close, CancellationToken ct)
    {
        if (run.Heavy) return await lane.RunAsync(run, (s, left) => QueryJsonCoreAsync(s, onReplica, statements, keys, cached, left, close, ct), ct);
        await admission.WaitAsync(ct);
        try { return await QueryJsonCoreAsync(source, onReplica, statements, keys, cached, run, close, ct); }
        finally { admission.Release(); }
    }

    private async Task<JsonText[]> QueryJsonCoreAsync(NpgsqlDataSource source, bool onReplica, IReadOnlyList<CompiledStatement> statements,
        StatementKey[] keys, CachedResult?[]? cached, QueryRun run, Action close, CancellationToken ct)
    {
        using var span = Observability.PeregrineTelemetry.StartSql(statements);
        await using var connection = await source.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        if (run.TimeoutMs > 0)
        {
            // The batch is one implicit transaction (one Sync), so a local setting lasts exactly as long as this
            // request's statements, even on a multiplexed connection that carries other requests' batches.
            batch.BatchCommands.Add(Command(CompiledStatement.HandWritten("SELECT set_config('statement_timeout', $1, true)", [run.TimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture)])));
            batch.Timeout = run.ClientTimeoutSeconds;
        }
        var results = new JsonText[statements.Count];
        var replayGuarded = cached is not null && onReplica;
        if (replayGuarded) batch.BatchCommands.Add(new NpgsqlBatchCommand(ReplayGuard.PositionSql));
        for (var i = 0; i < statements.Count; i++)
            batch.BatchCommands.Add(cached is null ? Command(statements[i]) : onReplica ? ReplayGuarded(statements[i], cached[i]) : Guarded(statements[i], cached[i]));
        try
        {
            // From here PostgreSQL may take the statement's snapshot: later arrivals must not share this answer.
            close();
            Interlocked.Increment(ref _batchesSent);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            if (run.TimeoutMs > 0) await reader.NextResultAsync(ct);
            // On a standby an answer is kept only under the position replayed before its statement (see ReplayGuard).
            string? before = null;
            if (replayGuarded)
            {
                if (await reader.ReadAsync(ct) && !await reader.IsDBNullAsync(0, ct)) before = reader.GetString(0);
                await reader.NextResultAsync(ct);
            }
            for (var i = 0; i < statements.Count; i++)
            {
                results[i] = cached is null ? await ReadAsync(reader, ct) : await ReadGuardedAsync(reader, keys[i], cached[i], onReplica, before, ct);
                await reader.NextResultAsync(ct);
            }
        }
        // Left to the caller, which runs the read again on the primary.
        catch (PostgresException e) when (onReplica && ReadReplicas.ShouldFallBack(e) && !ct.IsCancellationRequested) { throw; }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("the client went away; its statement was cancelled", e, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled && run.TimeoutMs > 0)
        {
            throw new QueryTimeoutError($"the query ran longer than its time limit of {run.LimitMs} ms ({run.TimeoutSetting}) and was cancelled (statement timeout)");
        }
        catch (PostgresException e) { throw PostgresErrors.Translate(e); }
        return results;
    }

    private static async Task<JsonText> ReadAsync(NpgsqlDataReader reader, CancellationToken ct) =>
        await reader.ReadAsync(ct) && !await reader.IsDBNullAsync(0, ct) ? new JsonText(await Utf8Async(reader, 0, ct)) : "null";

    // The kept answer is used while PostgreSQL's data is still the version it was computed under; otherwise the
    // statement ran, and its answer replaces the kept one. On the primary the version is the snapshot, always
    // known; on a standby it may be unknown (replay in progress), and an answer is kept only under the position
    // replayed before its statement began (<paramref name="before"/>).
    private async Task<JsonText> ReadGuardedAsync(NpgsqlDataReader reader, StatementKey key, CachedResult? cached, bool onReplica,
        string? before, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct)) return "null";
        var version = await reader.IsDBNullAsync(0, ct) ? null : reader.GetString(0);
        if (cached is not null && version is not null && version == cached.Snapshot)
        {
            cache.CountHit();
            return cached.Json;
        }
        var keep = version is not null && (!onReplica || version == before);
        if (await reader.IsDBNullAsync(1, ct))
        {
            if (keep) cache.Store(key, version!, "null", 4);
            return "null";
        }
        var bytes = await Utf8Async(reader, 1, ct);
        if (keep) cache.Store(key, version!, new JsonText(bytes), bytes.Length);
        return new JsonText(bytes);
    }

    private static async Task<byte[]> Utf8Async(NpgsqlDataReader reader, int column, CancellationToken ct)
    {
        // Every statement answers json (never jsonb, whose binary form has a version byte).
        await using var stream = await reader.GetStreamAsync(column, ct);
        var bytes = new byte[stream.Length];
        await stream.ReadExactlyAsync(bytes, ct);
        return bytes;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction: a failure anywhere leaves nothing behind.</summary>
    public async Task<T> InTransactionAsync<T>(Func<Transaction, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            var result = await work(new Transaction(connection, tx, ct));
            await tx.CommitAsync(ct);
            return result;
        }
        catch (PostgresException e) { throw PostgresErrors.Translate(e); }
    }

    public sealed class Transaction(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        public async Task<string> ScalarAsync(CompiledStatement statement)
        {
            await using var cmd = new NpgsqlCommand(statement.Sql, connection, tx);
            foreach (var p in statement.Parameters) cmd.Parameters.Add(Parameter(p));
            var value = await cmd.ExecuteScalarAsync(ct);
            return value is string s ? s : "null";
        }
    }

    // The statement behind the snapshot guard, with the kept answer's snapshot as its last parameter ("" for none).
    private static NpgsqlBatchCommand Guarded(CompiledStatement s, CachedResult? cached) =>
        Command(SnapshotGuard.Wrap(s, cached?.Snapshot ?? ""));

    // The same on a standby: the version to compare with is the replayed position (see ReplayGuard).
    private static NpgsqlBatchCommand ReplayGuarded(CompiledStatement s, CachedResult? cached)
    {
        var cmd = new NpgsqlBatchCommand(ReplayGuard.Wrap(s.Sql, s.Parameters.Count));
        foreach (var p in s.Parameters) cmd.Parameters.Add(Parameter(p));
        cmd.Parameters.Add(Parameter(cached?.Snapshot ?? ""));
        return cmd;
    }

    private static NpgsqlBatchCommand Command(CompiledStatement s)
    {
        var cmd = new NpgsqlBatchCommand(s.Sql);
        foreach (var p in s.Parameters) cmd.Parameters.Add(Parameter(p));
        return cmd;
    }

    private static NpgsqlParameter Parameter(object? value) => value switch
    {
        string[] a => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = a },
        null => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = DBNull.Value },
        _ => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = value }
    };
}
