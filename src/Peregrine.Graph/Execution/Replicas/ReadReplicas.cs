using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Execution.Replicas;

/// <summary>
/// Where reads go: the usable replicas in turn (round-robin), the primary when none is usable. Writes, transactions
/// and the auth and storage stores never come here: they take the primary's data source directly. A replica is made
/// usable by <see cref="ReplicaHealthMonitor"/> and unusable by it or by a read that failed on it (that read then
/// runs again on the primary, so a replica going away costs the client nothing).
/// </summary>
public sealed class ReadReplicas(PeregrineOptions options, NpgsqlDataSource primary, ILogger<ReadReplicas> logger) : IAsyncDisposable
{
    private int _next = -1;
    private long _primaryReads;

    public IReadOnlyList<ReplicaNode> Nodes { get; } =
        options.ReadReplicaConnectionStrings.Select(c => new ReplicaNode(c, options.HeavyQueryConnections)).ToArray();

    /// <summary>Read batches and refreshes that ran on the primary while replicas are configured (none usable, or a fallback).</summary>
    public long PrimaryReads => Interlocked.Read(ref _primaryReads);

    internal void CountPrimaryRead()
    {
        if (Nodes.Count > 0) Interlocked.Increment(ref _primaryReads);
    }

    /// <summary>The next usable replica, or null for the primary.</summary>
    public ReplicaNode? Pick()
    {
        var nodes = Nodes;
        if (nodes.Count == 0) return null;
        var start = (int)((uint)Interlocked.Increment(ref _next) % (uint)nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
            if (nodes[(start + i) % nodes.Count] is { Usable: true } node) return node;
        return null;
    }

    /// <summary>
    /// A usable replica that has replayed <paramref name="floor"/> (waiting for it at most the catch-up time), or null
    /// for the primary. Without a floor, any usable replica.
    /// </summary>
    public async Task<ReplicaNode?> PickAsync(NpgsqlLogSequenceNumber? floor, CancellationToken ct)
    {
        var node = Pick();
        if (node is null || floor is not { } target || node.Replayed >= target) return node;
        var deadline = DateTime.UtcNow + options.ReadReplicaCatchUpWait;
        while (true)
        {
            try
            {
                await using var cmd = node.DataSource.CreateCommand("SELECT pg_last_wal_replay_lsn()");
                if (await cmd.ExecuteScalarAsync(ct) is NpgsqlLogSequenceNumber replayed)
                {
                    node.SawReplayed(replayed);
                    if (replayed >= target) return node;
                }
            }
            catch (NpgsqlException e) when (!ct.IsCancellationRequested)
            {
                MarkDown(node, e);
                return null;
            }
            if (DateTime.UtcNow >= deadline) return null;
            // Replay usually follows within a few milliseconds of the primary flushing its WAL.
            await Task.Delay(5, ct);
        }
    }

    /// <summary>
    /// The primary's WAL insert position, the floor for reads that must see every commit made so far; null when
    /// there are no replicas (the primary sees everything) or the primary does not answer (the read then fails there).
    /// </summary>
    public async Task<NpgsqlLogSequenceNumber?> PrimaryPositionAsync(CancellationToken ct)
    {
        if (Nodes.Count == 0) return null;
        try
        {
            // The insert position, not the flushed one: with asynchronous commit a commit may be inserted but not
            // yet flushed, and the change that woke the refresh is at most there.
            await using var cmd = primary.CreateCommand("SELECT pg_current_wal_insert_lsn()");
            return await cmd.ExecuteScalarAsync(ct) as NpgsqlLogSequenceNumber?;
        }
        catch (NpgsqlException) when (!ct.IsCancellationRequested) { return null; }
    }

    /// <summary>
    /// Whether a failed read on a replica should run again on the primary: the replica is away (connection lost,
    /// shutting down, refusing connections) or cancelled the statement for a conflict with replay (40001). Errors
    /// of the query itself (bad values, time limits) would fail on the primary alike and are the client's answer.
    /// </summary>
    public static bool ShouldFallBack(NpgsqlException e) =>
        PostgresErrors.IsUnavailable(e) || e is PostgresException { SqlState: "40001" };

    /// <summary>Takes a replica out of rotation until the health loop sees it answer again.</summary>
    public void MarkDown(ReplicaNode node, Exception e)
    {
        var reason = e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.Message;
        if (node.MarkDown(reason))
            logger.LogWarning("read replica {Replica} is down ({Reason}); its reads go to the primary", node.Name, reason);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
    }
}
