using Microsoft.Extensions.Configuration;

namespace Peregrine.Graph.Configuration;

/// <summary>
/// Whether this server is a production deployment: <c>PEREGRINE_ENV=production</c> or
/// <c>ASPNETCORE_ENVIRONMENT=Production</c>, either one. A production server refuses to start without an admin
/// secret and a JWT secret (<see cref="Hosting.ProductionCheck"/>), never makes development keys and has the
/// console off unless it is enabled. ASP.NET's own default ("Production" when nothing is set) does not count:
/// only what the operator wrote does.
/// </summary>
public sealed record RunMode(bool Production)
{
    public static RunMode FromConfiguration(IConfiguration config)
    {
        var s = new SettingsReader(config);
        var env = s.Custom("PEREGRINE_ENV", null, "expected production or development",
            v => v.Trim().ToLowerInvariant() is "production" or "development" ? v.Trim().ToLowerInvariant() : throw new FormatException("unknown environment"));
        var aspnet = s.String("ASPNETCORE_ENVIRONMENT")?.Trim();
        return new RunMode(env == "production" || string.Equals(aspnet, "Production", StringComparison.OrdinalIgnoreCase));
    }
}
