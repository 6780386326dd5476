using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Media.Files;
using Peregrine.Graph.Media.Storage;

namespace Peregrine.Graph.Media.Staging;

/// <summary>
/// Deletes uploads that were never completed: staged rows older than PEREGRINE_STORAGE_STAGING_TTL_HOURS and
/// their objects, and staged objects that old whose row is gone or no longer staged (a crash between steps).
/// Runs every PEREGRINE_STORAGE_PURGE_INTERVAL_SECONDS until the host stops. On S3 a lifecycle rule on the
/// staging bucket is the backstop (README, Media).
/// </summary>
public sealed class StagingPurgeService(MediaOptions options, FileRecords records, IFileStorage storage, ILogger<StagingPurgeService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PurgeInterval);
        do
        {
            try
            {
                var purged = await PurgeOnceAsync(DateTimeOffset.UtcNow, stoppingToken);
                if (purged > 0) logger.LogInformation("staging purge deleted {Count} expired uploads", purged);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The next round retries; an outage of the database or the bucket must not end the loop.
                logger.LogWarning("staging purge failed: {Type}: {Message}", e.GetType().Name, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One round; returns how many uploads (rows or objects) were deleted.</summary>
    public async Task<int> PurgeOnceAsync(DateTimeOffset now, CancellationToken ct)
    {
        var before = now - options.StagingTtl;
        var count = 0;
        foreach (var id in await records.DeleteStagedBeforeAsync(before, ct))
        {
            await storage.DeleteStagedAsync(id, ct);
            count++;
        }
        await foreach (var (id, modified) in storage.ListStagedAsync(ct))
        {
            if (modified >= before || await records.IsStagedAsync(id, ct)) continue;
            await storage.DeleteStagedAsync(id, ct);
            count++;
        }
        return count;
    }
}
