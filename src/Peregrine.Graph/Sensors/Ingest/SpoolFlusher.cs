using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// Drains the spool into InfluxDB, oldest segment first, one segment at a time, deleting each only after InfluxDB
/// took it (a crash between the two sends it again, which InfluxDB overwrites: exactly once in effect). Runs InfluxDB's
/// setup at start-up; while InfluxDB is away it retries with a short back-off (at most <see cref="MaxBackoff"/>), so
/// readings arrive within seconds of its return. Owned by the host: it stops with the server's stopping token.
/// </summary>
public sealed class SpoolFlusher(SensorSpool spool, InfluxWriter writer, ILogger<SpoolFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!writer.IsConfigured)
        {
            if (!spool.IsEmpty) logger.LogWarning("sensor spool holds batches but PEREGRINE_INFLUX_URL is not set: they stay spooled");
            return;
        }
        try { await writer.EnsureSetupAsync(stoppingToken); }
        catch (InfluxUnavailableException e) { logger.LogWarning("InfluxDB is not ready at start-up; readings are spooled until it is: {Reason}", e.Message); }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }

        var backoff = MinBackoff;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (spool.Oldest() is not { } segment)
                {
                    await spool.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                    continue;
                }
                await writer.WriteAsync(SensorSpool.Read(segment), stoppingToken);
                spool.Remove(segment);
                if (failing) logger.LogInformation("InfluxDB is back: flushing the sensor spool");
                failing = false;
                backoff = MinBackoff;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // Log once per outage, not once per retry; an unexpected error must not end the loop (or the host).
                if (!failing) logger.LogWarning("sensor spool flush paused ({Depth} batches): {Type}: {Message}", spool.Depth.Batches, e.GetType().Name, e.Message);
                failing = true;
                try { await Task.Delay(backoff, stoppingToken); }
                catch (OperationCanceledException) { return; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }
}
