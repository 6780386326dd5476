using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSingleton<AccountStore>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AuthSessions>();
        services.AddSingleton<MfaTickets>();
        services.AddSingleton<SignInRateLimiter>();
        services.AddSingleton<SignInRateLimitFilter>();
        services.AddSingleton<AuthErrorFilter>();
        services.AddHostedService<JwksRefreshService>();
        return services;
    }
}
