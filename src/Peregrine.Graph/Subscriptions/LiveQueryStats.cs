namespace Peregrine.Graph.Subscriptions;

/// <summary>Counters for the benchmark and operators: how much work the change events caused.</summary>
public sealed class LiveQueryStats
{
    private long _events, _refreshes, _pushes, _skipped, _resyncs, _multiplexed;

    public long Events => Interlocked.Read(ref _events);
    /// <summary>Live query runs, i.e. statements sent to PostgreSQL on behalf of live queries.</summary>
    public long Refreshes => Interlocked.Read(ref _refreshes);
    /// <summary>Results sent to a subscriber.</summary>
    public long Pushes => Interlocked.Read(ref _pushes);
    /// <summary>Runs whose result had not changed (nothing sent).</summary>
    public long Unchanged => Interlocked.Read(ref _skipped);
    public long Resyncs => Interlocked.Read(ref _resyncs);
    /// <summary>Group refreshes that ran inside a multiplexed statement.</summary>
    public long MultiplexedGroups => Interlocked.Read(ref _multiplexed);

    internal void AddEvents(int n) => Interlocked.Add(ref _events, n);
    internal void AddRefresh() => Interlocked.Increment(ref _refreshes);
    internal void AddPushes(int n) => Interlocked.Add(ref _pushes, n);
    internal void AddUnchanged() => Interlocked.Increment(ref _skipped);
    internal void AddResync() => Interlocked.Increment(ref _resyncs);
    internal void AddMultiplexed(int n) => Interlocked.Add(ref _multiplexed, n);
}

internal static class LiveQueryLogging
{
    public static void LogStreamFailure(this Microsoft.Extensions.Logging.ILogger logger, Exception e) =>
        Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, e, "streaming subscription run failed");
}
