using Npgsql;
using NpgsqlTypes;
using Peregrine.Graph.Execution.Admission;

namespace Peregrine.Graph.Execution.Replicas;

/// <summary>
/// One hot standby: its connections (built like the primary's: a multiplexed pool, a heavy-query lane, an
/// admission gate of its own) and what the health loop and failed reads last learned about it.
/// </summary>
public sealed class ReplicaNode : IAsyncDisposable
{
    public ReplicaNode(string connectionString, int? heavyConnections)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        // Never the password: this name is shown by /healthz and in logs.
        Name = $"{b.Host}:{b.Port}/{b.Database}";
        DataSource = Hosting.ApiDataSource.Build(connectionString);
        Heavy = Hosting.ApiDataSource.BuildHeavyLane(connectionString, DataSource, heavyConnections);
        // As the primary's gate in SqlRunner: twice the pool keeps every connection's pipeline full.
        Admission = new SemaphoreSlim(2 * new NpgsqlConnectionStringBuilder(DataSource.ConnectionString).MaxPoolSize);
    }

    public string Name { get; }
    public NpgsqlDataSource DataSource { get; }
    public HeavyQueryLane Heavy { get; }
    public SemaphoreSlim Admission { get; }

    // Down until the first probe answers: a replica is trusted once it has shown it is a standby.
    private volatile bool _up;
    private volatile string? _error = "not checked yet";
    private long _lagBytes, _lagMs, _replayed, _reads;

    /// <summary>Answering, and a standby.</summary>
    public bool Up => _up;

    /// <summary>Up, and not further behind its primary than the allowed lag.</summary>
    public bool Usable => _up && !_behind;
    public bool Behind => _behind;
    private volatile bool _behind;
    public string? Error => _error;
    public long LagBytes => Interlocked.Read(ref _lagBytes);
    public long LagMilliseconds => Interlocked.Read(ref _lagMs);

    /// <summary>The highest replay position seen (health loop or catch-up check): WAL up to it is visible here.</summary>
    public NpgsqlLogSequenceNumber Replayed => new((ulong)Interlocked.Read(ref _replayed));

    /// <summary>Read batches and live-query refreshes this replica answered (a telemetry figure and a test hook).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    internal void CountRead() => Interlocked.Increment(ref _reads);

    internal void SawReplayed(NpgsqlLogSequenceNumber position)
    {
        var value = (long)(ulong)position;
        long seen;
        while ((seen = Interlocked.Read(ref _replayed)) < value && Interlocked.CompareExchange(ref _replayed, value, seen) != seen) { }
    }

    /// <summary>Returns true when this changed the replica from down to up.</summary>
    internal bool MarkUp(long lagBytes, long lagMs, bool behind)
    {
        Interlocked.Exchange(ref _lagBytes, lagBytes);
        Interlocked.Exchange(ref _lagMs, lagMs);
        _behind = behind;
        _error = behind ? $"{lagMs} ms behind the primary" : null;
        var was = _up;
        _up = true;
        return !was;
    }

    /// <summary>Returns true when this changed the replica from up to down.</summary>
    internal bool MarkDown(string error)
    {
        _error = error;
        var was = _up;
        _up = false;
        // Its pooled connections are likely broken (a restart, a network cut): the next use opens new ones.
        if (was) DataSource.Clear();
        return was;
    }

    public async ValueTask DisposeAsync()
    {
        await Heavy.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
