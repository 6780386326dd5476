using System.Diagnostics;
using Npgsql;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Execution.Admission;

/// <summary>
/// Where queries estimated heavy run: a few connections of their own, one query each, taken first come first
/// served, so heavy work waits for heavy work and the multiplexed pool stays free for cheap queries. These
/// connections are not multiplexed because Npgsql cancels only a non-multiplexed statement in PostgreSQL: once
/// a multiplexed command is written, its cancellation token is not looked at again and the statement runs to its
/// end (measured with Npgsql 10.0.3). Here a request that is abandoned cancels its statement (Npgsql sends
/// PostgreSQL a cancel request for exactly that backend) and its place in the queue.
/// </summary>
public sealed class HeavyQueryLane(NpgsqlDataSource dataSource, int connections) : IAsyncDisposable
{
    private readonly SemaphoreSlim _slots = new(connections, connections);

    /// <summary>Runs <paramref name="work"/> on a connection of the lane once one is free; the wait counts toward the run's time limit.</summary>
    public async Task<T> RunAsync<T>(QueryRun run, Func<NpgsqlDataSource, QueryRun, Task<T>> work, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        if (!await _slots.WaitAsync(run.TimeoutMs > 0 ? run.TimeoutMs : Timeout.Infinite, ct))
            throw new QueryTimeoutError($"the query waited {run.TimeoutMs} ms for a connection for heavy queries and was not run ({run.TimeoutSetting})");
        try
        {
            var left = run.TimeoutMs > 0 ? run with { TimeoutMs = Math.Max(1, run.TimeoutMs - (int)waited.ElapsedMilliseconds) } : run;
            return await work(dataSource, left);
        }
        finally { _slots.Release(); }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
