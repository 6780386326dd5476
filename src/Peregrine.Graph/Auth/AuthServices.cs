using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.Api;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Auth.Mfa;
using Peregrine.Graph.Auth.RateLimiting;
using Peregrine.Graph.Auth.Sessions;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Auth;

public static class AuthServices
{
    /// <summary>JWT sessions and the Hasura Auth endpoints' services.</summary>
    public static IServiceCollection AddPeregrineAuth(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(nameof(JwksCache));
        services.AddSingleton(sp => AuthOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<PeregrineOptions>();
            var jwks = JwtSettingsUrl(options) is { } url
                ? new JwksCache(url, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(JwksCache)))
                : null;
            return new JwtContext(options, jwks);
        });
        services.AddSingleton<AccountStore>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AuthSessions>();
        services.AddSingleton<MfaTickets>();
        services.AddSingleton<SignInRateLimiter>();
        services.AddSingleton<SignInRateLimitFilter>();
        services.AddSingleton<AuthErrorFilter>();
        // A bad JWT secret should stop start-up, not fail the first request.
        services.AddHostedService<JwtStartupCheck>();
        return services;
    }

    private static Uri? JwtSettingsUrl(PeregrineOptions options) =>
        options.JwtSecret is { } secret ? JwtSettings.Parse(secret).JwkUrl : null;

    private sealed class JwtStartupCheck(JwtContext jwt) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => jwt.Settings is null ? Task.CompletedTask : Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
