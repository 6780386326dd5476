using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Sensors.Influx;
using Peregrine.Graph.Sensors.Live;

namespace Peregrine.Graph.Sensors.Queries;

/// <summary>The GraphQL side of sensor readings: InfluxQL reads, the relationship filler, writes and live pushes.</summary>
public static class SensorQueryServices
{
    public static IServiceCollection AddPeregrineSensorQueries(this IServiceCollection services)
    {
        services.AddHttpClient(nameof(InfluxQueryClient), c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(sp => new InfluxQueryClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(InfluxQueryClient)),
            sp.GetRequiredService<PeregrineOptions>().InfluxUrl,
            sp.GetRequiredService<SensorOptions>().Database));
        services.AddSingleton<SensorReadQueries>();
        services.AddSingleton<SensorRelationshipFiller>();
        services.AddSingleton<SensorWrites>();
        services.AddSingleton<SensorFields>();
        services.AddSingleton<SensorLiveInterest>();
        // The host owns the lease renewal loop and stops it with its token.
        services.AddHostedService(sp => sp.GetRequiredService<SensorLiveInterest>());
        services.AddSingleton<SensorLiveHub>();
        services.AddSingleton<ISensorBatchObserver, SensorLivePublisher>();
        return services;
    }
}
