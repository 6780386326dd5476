using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Observability;
using Peregrine.Graph.PersistedQueries;
using Peregrine.Graph.Rest;

namespace Peregrine.Graph.Hosting;

/// <summary>
/// What operators and integrators use beside <c>/v1/graphql</c>: REST endpoints and their OpenAPI document,
/// persisted queries and the allow-list, version, metrics, traces and the request log.
/// </summary>
public static class OperatorServices
{
    public static IServiceCollection AddOperatorServices(this IServiceCollection services)
    {
        services.AddSingleton(sp => RestOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<RestEndpoints>();
        services.AddSingleton(sp => PersistedQueryOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<Configuration.PeregrineOptions>()));
        services.AddSingleton<PersistedQueryStore>();
        services.AddHostedService(sp => sp.GetRequiredService<PersistedQueryStore>());
        services.AddSingleton<AutomaticPersistedQueries>();
        return services;
    }

    /// <summary>Resolved by <see cref="StartupCheck"/>: a bad file or setting stops the server before it listens.</summary>
    public static void Check(IServiceProvider services)
    {
        services.GetRequiredService<RestEndpoints>();
        services.GetRequiredService<PersistedQueryOptions>();
    }

    public static WebApplication MapOperatorServices(this WebApplication app)
    {
        app.MapVersionApi();
        app.MapRestEndpoints();
        return app;
    }
}
