using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Peregrine.Graph.Observability;

/// <summary>With PEREGRINE_METRICS_SECRET set, <c>/metrics</c> answers 401 unless sent <c>Authorization: Bearer &lt;secret&gt;</c> (Prometheus' bearer_token).</summary>
public static class MetricsGuard
{
    public static IApplicationBuilder UseMetricsGuard(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<ObservabilityOptions>().MetricsSecret is not { } secret) return app;
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + secret));
        return app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/metrics"))
            {
                var given = SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString()));
                if (!CryptographicOperations.FixedTimeEquals(given, expected))
                {
                    http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                    return;
                }
            }
            await next(http);
        });
    }
}
