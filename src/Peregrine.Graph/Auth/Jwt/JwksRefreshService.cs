using Microsoft.Extensions.Hosting;

namespace Peregrine.Graph.Auth.Jwt;

/// <summary>
/// Owns the <c>jwk_url</c> key set's refresh loop (nothing to do with a configured key). Resolving
/// <see cref="JwtContext"/> also parses the JWT secret, so a bad one stops start-up.
/// </summary>
public sealed class JwksRefreshService(JwtContext jwt) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        jwt.Keys?.Jwks is { } jwks ? jwks.RunAsync(stoppingToken) : Task.CompletedTask;
}
