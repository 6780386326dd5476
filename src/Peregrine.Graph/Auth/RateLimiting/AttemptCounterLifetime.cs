using Microsoft.Extensions.Hosting;

namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>Owns the counter's Redis connection, when there is one: opened at start-up (in the background), closed at shutdown.</summary>
public sealed class AttemptCounterLifetime(IAttemptCounter counter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        counter is RedisAttemptCounter redis ? redis.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
