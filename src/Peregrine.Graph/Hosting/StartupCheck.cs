using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Hosting;

/// <summary>
/// Builds, before the server listens, what a bad setting or metadata would otherwise break on the first
/// request: every settings object (bound and validated), the JWT keys and the schema.
/// </summary>
public static class StartupCheck
{
    /// <summary>Throws <see cref="InvalidSettingException"/> for the first bad setting.</summary>
    public static async Task RunAsync(IServiceProvider services)
    {
        services.GetRequiredService<PeregrineOptions>();
        services.GetRequiredService<AuthOptions>();
        services.GetRequiredService<RequestLimitsOptions>();
        services.GetRequiredService<Media.MediaOptions>();
        services.GetRequiredService<Sensors.SensorOptions>();
        services.GetRequiredService<JwtContext>();
        services.GetRequiredService<Auth.Mfa.TotpSecretCipher>();
        services.GetRequiredService<Browser.CorsPolicy>();
        services.GetRequiredService<SchemaRegistry>();
        services.GetRequiredService<GraphiQL.ConsoleOptions>();
        ProductionCheck.Run(services);
        await OperatorServices.CheckAsync(services);
    }
}
