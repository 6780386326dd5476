using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Peregrine.Graph.Sensors.Devices;

/// <summary>
/// The PostgreSQL side of sensors: who may use which device (<see cref="DeviceAccess"/>), device OAuth clients
/// and the token endpoint, and alarm rules. One call each from PeregrineServices and Program.
/// </summary>
public static class DeviceServices
{
    public static IServiceCollection AddPeregrineDevices(this IServiceCollection services)
    {
        services.AddSingleton<DeviceAccess>();
        services.AddSingleton<DeviceCredentialStore>();
        services.AddSingleton<DeviceCredentialFields>();
        services.AddSingleton<Alarms.AlarmEvaluator>();
        services.AddSingleton<ISensorBatchObserver>(sp => sp.GetRequiredService<Alarms.AlarmEvaluator>());
        services.AddSingleton<Alarms.StaleAlarmSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<Alarms.StaleAlarmSweeper>());
        return services;
    }

    public static WebApplication MapDeviceApi(this WebApplication app)
    {
        app.MapPost(OAuth.TokenEndpoint.Route, OAuth.TokenEndpoint.HandleAsync).DisableAntiforgery();
        return app;
    }
}
