using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Hosting.GraphiQL;

/// <summary>
/// Serves the GraphiQL console when it is enabled: <c>GET /console</c> and <c>GET /playground</c> (the same
/// page), its assets under <c>/console/assets/</c>, and <c>GET /</c> redirects to <c>/console</c>. Disabled,
/// none of these routes exist (404).
/// </summary>
public static class ConsoleApi
{
    /// <summary>
    /// What the page needs and nothing more: its own scripts and workers, same-origin fetch and websocket
    /// (CSP3 'self' covers ws:/wss: to the same host), GraphiQL's inline-data fonts and the inline styles Monaco
    /// sets on its elements. No eval, no other origin, no framing, no form posts.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "font-src 'self' data:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddSingleton(sp => ConsoleOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => RunMode.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        return services;
    }

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<ConsoleOptions>();
        if (!options.Enabled) return app;
        var files = new ConsoleFiles(options.Folder);
        app.MapGet("/", () => Results.Redirect("/console")).ExcludeFromDescription();
        app.MapGet("/console", files.PageAsync).ExcludeFromDescription();
        app.MapGet("/playground", files.PageAsync).ExcludeFromDescription();
        app.MapGet("/console/assets/{name}", files.AssetAsync).ExcludeFromDescription();
        return app;
    }
}
