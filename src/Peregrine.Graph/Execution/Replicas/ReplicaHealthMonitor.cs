using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Execution.Replicas;

/// <summary>
/// Probes every replica each <see cref="PeregrineOptions.ReadReplicaCheckInterval"/> for the life of the host (the
/// host's stopping token ends it): up when it answers as a standby, down otherwise, behind when its lag exceeds
/// <see cref="PeregrineOptions.ReadReplicaMaxLag"/>. Lag in bytes is the primary's WAL position less the replica's
/// replay position; lag in time is how long ago the primary was last at the position the replica has replayed,
/// from the positions this loop saw (so it is exact to one interval, and 0 on an idle primary, where
/// <c>now() - pg_last_xact_replay_timestamp()</c> would grow without bound).
/// </summary>
public sealed class ReplicaHealthMonitor(ReadReplicas replicas, NpgsqlDataSource primary, PeregrineOptions options,
    ILogger<ReplicaHealthMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    // The primary's positions seen, oldest first: enough to measure a lag well past any sensible limit.
    private readonly Queue<(DateTime At, NpgsqlLogSequenceNumber Position)> _primarySeen = new();
    private const int Samples = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (replicas.Nodes.Count == 0) return;
        using var timer = new PeriodicTimer(options.ReadReplicaCheckInterval);
        try
        {
            do await CheckAllAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>One round: the primary's position, then every replica at once.</summary>
    public async Task CheckAllAsync(CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var primaryAt = await PrimaryPositionAsync(ct);
        if (primaryAt is { } p)
        {
            _primarySeen.Enqueue((now, p));
            while (_primarySeen.Count > Samples) _primarySeen.Dequeue();
        }
        await Task.WhenAll(replicas.Nodes.Select(n => CheckAsync(n, primaryAt, now, ct)));
    }

    private async Task<NpgsqlLogSequenceNumber?> PrimaryPositionAsync(CancellationToken ct)
    {
        try
        {
            await using var cmd = primary.CreateCommand("SELECT pg_current_wal_lsn()");
            return await cmd.ExecuteScalarAsync(ct) as NpgsqlLogSequenceNumber?;
        }
        // The primary being away is /healthz's "postgres" line; the replicas' lag is then unknown, not failing.
        catch (Exception e) when ((e is NpgsqlException or TimeoutException) && !ct.IsCancellationRequested) { return null; }
    }

    private async Task CheckAsync(ReplicaNode node, NpgsqlLogSequenceNumber? primaryAt, DateTime now, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await using var cmd = node.DataSource.CreateCommand("SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()");
            await using var reader = await cmd.ExecuteReaderAsync(timeout.Token);
            await reader.ReadAsync(timeout.Token);
            if (!reader.GetBoolean(0))
            {
                // Promoted (or pointed at a primary by mistake): its data no longer follows ours.
                if (node.MarkDown("not a standby: pg_is_in_recovery() is false"))
                    logger.LogWarning("read replica {Replica} is not a standby; it takes no reads", node.Name);
                return;
            }
            var replayed = reader.IsDBNull(1) ? default : reader.GetFieldValue<NpgsqlLogSequenceNumber>(1);
            node.SawReplayed(replayed);
            var lagBytes = primaryAt is { } p && p > replayed ? (long)(ulong)p - (long)(ulong)replayed : 0;
            var lagMs = LagMilliseconds(replayed, now);
            var behind = lagMs > options.ReadReplicaMaxLag.TotalMilliseconds;
            if (node.MarkUp(lagBytes, lagMs, behind))
                logger.LogInformation("read replica {Replica} is up; it takes reads again", node.Name);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? $"no answer within {ProbeTimeout.TotalSeconds:0} s" : e.Message;
            if (node.MarkDown(reason))
                logger.LogWarning("read replica {Replica} is down ({Reason}); its reads go to the primary", node.Name, reason);
        }
    }

    // Since when the primary has been past what the replica replayed: the first sample beyond it.
    private long LagMilliseconds(NpgsqlLogSequenceNumber replayed, DateTime now)
    {
        foreach (var (at, position) in _primarySeen)
            if (position > replayed) return (long)(now - at).TotalMilliseconds;
        return 0;
    }
}
