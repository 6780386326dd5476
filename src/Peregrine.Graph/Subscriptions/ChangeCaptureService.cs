using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peregrine.Domain.Events;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// Owns the real-time loops for the life of the host: the live-query refresh loop, the bus (whose
/// connection attempts never hold up start-up) and the PostgreSQL change listener. The host's stopping
/// token ends all three.
/// </summary>
public sealed class ChangeCaptureService(IChangeBus bus, PostgresChangeListener listener, LiveQueryRegistry registry,
    ILogger<ChangeCaptureService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var refreshes = RunLoggedAsync(registry.RunAsync, "live query refresh loop", stoppingToken);
        bus.Subscribe(registry);
        await bus.StartAsync(stoppingToken);
        await Task.WhenAll(refreshes, RunLoggedAsync(listener.RunAsync, "change capture", stoppingToken));
    }

    private async Task RunLoggedAsync(Func<CancellationToken, Task> loop, string what, CancellationToken stoppingToken)
    {
        try { await loop(stoppingToken); }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e) { logger.LogError(e, "{What} stopped", what); }
    }
}
