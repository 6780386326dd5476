using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Sensors.Influx;
using Peregrine.Graph.Sensors.Ingest;

namespace Peregrine.Graph.Sensors;

/// <summary>
/// Time-series ingest: settings, the InfluxDB writer, the disk spool and its flusher, <see cref="SensorIngest"/>
/// (the one entry for every write path) and <c>POST /v1/sensors/write</c>. One call each from PeregrineServices and Program.
/// </summary>
public static class SensorServices
{
    public static IServiceCollection AddPeregrineSensors(this IServiceCollection services)
    {
        services.AddSingleton(sp => SensorOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddHttpClient(InfluxWriter.HttpClientName);
        services.AddSingleton<InfluxWriter>();
        services.AddSingleton<SensorSpool>();
        services.AddSingleton<SensorIngest>();
        services.AddSingleton<Ingest.DeviceSeenThrottle>();
        services.AddSingleton<SpoolFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<SpoolFlusher>());
        return services;
    }

    public static WebApplication MapSensorApi(this WebApplication app)
    {
        app.MapPost(WriteEndpoint.Route, WriteEndpoint.HandleAsync).DisableAntiforgery();
        return app;
    }
}
