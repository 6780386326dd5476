using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Transport.WebSockets;

namespace Peregrine.Graph.Hosting;

/// <summary>
/// SIGTERM (or Ctrl-C): as soon as the host starts stopping, every websocket is closed with 1001 (going
/// away) and new ones are refused; Kestrel meanwhile stops accepting connections and lets HTTP requests in
/// flight finish. The host waits at most PEREGRINE_SHUTDOWN_TIMEOUT_SECONDS for all of it (HostOptions).
/// </summary>
public sealed class GracefulShutdown(IHostApplicationLifetime lifetime, OpenConnections sockets, ILogger<GracefulShutdown> logger)
    : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(() =>
        {
            logger.LogInformation("shutting down: closing {Count} websockets with 1001", sockets.Count);
            sockets.CloseAll();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }
}
