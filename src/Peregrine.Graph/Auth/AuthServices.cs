using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
        services.AddSingleton(sp => new JwtContext(sp.GetRequiredService<PeregrineOptions>(),
            url => new JwksCache(url, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(JwksCache)),
                sp.GetRequiredService<ILogger<JwksCache>>())));
        services.AddSingleton(sp => TotpSecretCipher.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddHostedService<TotpSecretResealing>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AuthSessions>();
        services.AddSingleton<MfaTickets>();
        services.AddSingleton<InProcessAttemptCounter>();
        services.AddSingleton<IAttemptCounter>(sp =>
        {
            var options = sp.GetRequiredService<PeregrineOptions>();
            if (options.RedisUrl is null) return sp.GetRequiredService<InProcessAttemptCounter>();
            return new RedisAttemptCounter(options.RedisUrl, LimitKeyPrefix(options.DatabaseConnectionString),
                sp.GetRequiredService<InProcessAttemptCounter>(), sp.GetRequiredService<ILogger<RedisAttemptCounter>>());
        });
        services.AddHostedService<AttemptCounterLifetime>();
        services.AddSingleton<SignInRateLimiter>();
        services.AddSingleton<SignInRateLimitFilter>();
        services.AddSingleton<AuthErrorFilter>();
        services.AddHostedService<JwksRefreshService>();
        // A bad JWT secret (or auth setting) should stop start-up, not fail the first request.
        services.AddHostedService<JwtStartupCheck>();
        return services;
    }

    /// <summary>One hash tag per database: servers of different databases may share a Redis without sharing budgets.</summary>
    public static string LimitKeyPrefix(string connectionString)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"peregrine:limits:{{{b.Host}:{b.Port}/{b.Database}}}:";
    }

    /// <summary>
    /// Being constructed is the check: resolving <see cref="JwtContext"/> parses the secret and its keys, and
    /// <see cref="AuthOptions"/> the auth settings (a malformed PEREGRINE_TRUSTED_PROXIES names itself).
    /// </summary>
    private sealed class JwtStartupCheck : IHostedService
    {
        public JwtStartupCheck(JwtContext jwt, AuthOptions options)
        {
            GC.KeepAlive(jwt);
            GC.KeepAlive(options);
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
