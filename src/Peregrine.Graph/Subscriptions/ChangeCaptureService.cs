using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peregrine.Domain.Events;

namespace Peregrine.Graph.Subscriptions;

/// <summary>Connects the bus to this instance's live queries, then runs the PostgreSQL listener for the life of the host.</summary>
public sealed class ChangeCaptureService(IChangeBus bus, PostgresChangeListener listener, LiveQueryRegistry registry,
    ILogger<ChangeCaptureService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken ct)
    {
        bus.Subscribe(registry);
        await bus.StartAsync(ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try { await listener.RunAsync(stoppingToken); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "change capture stopped"); }
    }
}
