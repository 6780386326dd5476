using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Peregrine.Domain.Events;

/// <summary>
/// LISTENs on the channel the change-capture triggers NOTIFY (one notification per written row, sent by
/// PostgreSQL at commit) and forwards the payloads to the bus in batches. On a shared bus (Redis) only one
/// instance may forward, or every event would arrive once per instance: the forwarder is whoever holds a
/// session advisory lock, and the others wait on it inside PostgreSQL (a blocked statement, not a polling
/// loop: an idle system sends no queries). Each time forwarding (re)starts, events may have been missed,
/// so it first publishes a resync.
/// </summary>
public sealed class PostgresChangeListener(string connectionString, IChangeBus bus, ILogger<PostgresChangeListener> logger)
{
    public const string ChannelName = "peregrine_changes";
    private const long LeaderLockKey = 0x7065726567726e; // "peregrn"
    private const int MaxBatch = 512;

    private readonly Channel<string> _pending = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes once this instance forwards events (for tests and start-up ordering).</summary>
    public TaskCompletionSource Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True while the LISTEN connection is up (forwarding, or waiting to lead on a shared bus).</summary>
    public bool IsConnected => Volatile.Read(ref _connected);
    private bool _connected;

    public async Task RunAsync(CancellationToken ct)
    {
        var publisher = PublishLoopAsync(ct);
        var delay = TimeSpan.FromMilliseconds(250);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ListenOnceAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                Volatile.Write(ref _connected, false);
                logger.LogWarning("change capture listener lost its connection ({Message}); reconnecting in {Delay}", e.Message, delay);
                try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { break; }
                // Capped low: after a PostgreSQL restart, live queries wait for this reconnect (and its resync).
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }
        _pending.Writer.TryComplete();
        await publisher;
    }

    private async Task ListenOnceAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Multiplexing = false,   // LISTEN and the advisory lock are connection state
            KeepAlive = 0,          // Npgsql's keepalive is a query; TCP keepalive is not
            TcpKeepAlive = true,
            ApplicationName = "peregrine-change-capture",
        };
        // Untraced: this connection's statements are plumbing, not queries of the API (and would show up in SQL captures).
        await using var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString)
            .ConfigureTracing(t => t.ConfigureCommandFilter(_ => false).EnablePhysicalOpenTracing(false))
            .Build();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        Volatile.Write(ref _connected, true);
        if (bus.IsShared)
        {
            await using var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_lock({LeaderLockKey})", connection) { CommandTimeout = 0 };
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        connection.Notification += (_, e) => _pending.Writer.TryWrite(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
            await listen.ExecuteNonQueryAsync(ct);
        logger.LogInformation("change capture: forwarding {Channel} notifications ({Bus})", ChannelName, bus.IsShared ? "redis" : "in-process");
        _pending.Writer.TryWrite(ChangeBusMessage.Resync);
        Listening.TrySetResult();
        try
        {
            while (true) await connection.WaitAsync(ct);
        }
        finally { Volatile.Write(ref _connected, false); }
    }

    private async Task PublishLoopAsync(CancellationToken ct)
    {
        var batch = new List<string>(MaxBatch);
        var reader = _pending.Reader;
        try
        {
            // Not the stopping token: RunAsync completes the channel when it stops, and what is queued still goes out.
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var m)) batch.Add(m);
                try { await bus.PublishAsync(batch, ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The bus is down: receivers resync when it comes back, so these events are not needed.
                    logger.LogWarning(e, "could not publish {Count} change events", batch.Count);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) { }
    }
}
