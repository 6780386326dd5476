using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// Where every accepted batch goes, from GraphQL's <c>insert_sensor_readings</c> and from
/// <c>POST /v1/sensors/write</c> alike. A batch is encoded once; while the spool is empty it is written straight to
/// InfluxDB, and if InfluxDB is not configured, unreachable or slower than the write timeout it is appended to the
/// disk spool instead. While the spool holds anything, new batches go behind it, so a device's batches reach
/// InfluxDB in the order they were accepted (<see cref="SpoolFlusher"/> drains it). Then every
/// <see cref="ISensorBatchObserver"/> is told, all at once; an observer's failure is logged, never the
/// writer's problem, since the batch is already stored.
/// </summary>
public sealed class SensorIngest(InfluxWriter writer, SensorSpool spool, IServiceProvider services, ILogger<SensorIngest> logger)
{
    // Resolved on first use: an observer may itself depend on ingest (the live bus), which a constructor would loop on.
    private IReadOnlyList<ISensorBatchObserver>? _observers;

    /// <summary>
    /// Caller has already checked permissions and shape. Returns once the whole batch is in InfluxDB or in the
    /// fsynced disk spool, and every observer has run. Throws <see cref="SensorStorageUnavailableException"/> when
    /// neither can take it.
    /// </summary>
    public async Task AcceptAsync(IReadOnlyList<SensorReading> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        // Encoded straight into a rented buffer: no batch-sized string or char array is ever allocated (PooledBytes says why).
        using (var lines = new PooledBytes(batch.Count * 110))
        {
            LineProtocolEncoder.EncodeUtf8(batch, lines);
            await StoreAsync(lines.Memory, ct);
        }

        // Observers are independent of each other (alarm rules in PostgreSQL, the live bus in Redis): they run at
        // once, so a batch waits for the slower round trip, not for the sum.
        _observers ??= services.GetServices<ISensorBatchObserver>().ToList();
        await Task.WhenAll(_observers.Select(observer => ObserveAsync(observer, batch, ct)));
    }

    /// <summary>
    /// The bulk path: lines already in stored form (<see cref="LineProtocolScanner"/>), all of one device. Stored as
    /// <see cref="AcceptAsync"/> stores; then only observers that want the device's batch get it, built from the
    /// lines once, and when none does no reading object is made.
    /// </summary>
    public async Task AcceptLinesAsync(ScannedLines batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        await StoreAsync(batch.Lines, ct);
        _observers ??= services.GetServices<ISensorBatchObserver>().ToList();
        var wants = await Task.WhenAll(_observers.Select(observer => WantsAsync(observer, batch.Device, ct)));
        if (!wants.Contains(true)) return;
        var readings = batch.Readings();
        await Task.WhenAll(_observers.Where((_, i) => wants[i]).Select(observer => ObserveAsync(observer, readings, ct)));
    }

    private async Task<bool> WantsAsync(ISensorBatchObserver observer, Guid device, CancellationToken ct)
    {
        try { return await observer.WantsAsync(device, ct); }
        catch (Exception e)
        {
            // Unsure: let the observer see the batch (its own failure is then logged by ObserveAsync).
            logger.LogWarning("sensor batch observer {Observer} could not say whether it wants a batch: {Message}", observer.GetType().Name, e.Message);
            return true;
        }
    }

    private async Task ObserveAsync(ISensorBatchObserver observer, IReadOnlyList<SensorReading> batch, CancellationToken ct)
    {
        try { await observer.OnBatchAcceptedAsync(batch, ct); }
        catch (Exception e)
        {
            logger.LogError(e, "sensor batch observer {Observer} failed on a batch of {Count} readings", observer.GetType().Name, batch.Count);
        }
    }

    private async Task StoreAsync(ReadOnlyMemory<byte> lines, CancellationToken ct)
    {
        if (writer.IsConfigured && spool.IsEmpty)
        {
            try
            {
                await writer.WriteAsync(lines, ct);
                return;
            }
            catch (InfluxUnavailableException e)
            {
                // Part of the batch may have landed; spooling all of it is harmless, InfluxDB overwrites same series and time.
                logger.LogWarning("sensor batch spooled: {Reason}", e.Message);
            }
        }
        spool.Append(lines.Span);
    }
}
