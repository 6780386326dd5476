using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Peregrine.Graph.Observability;

/// <summary>
/// <c>GET /v1/version</c> → <c>{"version": "1.0.0+&lt;git sha&gt;"}</c>. The SDK stamps the informational version at
/// build time with the commit it reads from .git (SourceLink), or the <c>SourceRevisionId</c> a Docker build passes.
/// </summary>
public static class VersionApi
{
    public static string Version { get; } = Read();

    public static IEndpointRouteBuilder MapVersionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/version", () => Results.Json(new { version = Version }));
        return app;
    }

    private static string Read()
    {
        var informational = typeof(VersionApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return string.IsNullOrEmpty(informational) ? "0.0.0+unknown" : informational.Contains('+') ? informational : informational + "+unknown";
    }
}
