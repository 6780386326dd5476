using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Peregrine.Graph.Hosting.Browser;

public static class BrowserHeaders
{
    /// <summary>The CORS policy, read once at start-up (a malformed origin list stops the server with its variable's name).</summary>
    public static IServiceCollection AddBrowserHeaders(this IServiceCollection services) =>
        services.AddSingleton(sp => CorsPolicy.FromConfiguration(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>().IsDevelopment()));

    /// <summary>
    /// First in the pipeline, so preflights, HEAD and the security headers apply to every route. Routing comes
    /// right after it, explicitly: left implicit, it would run first and pick HEAD's 405 before HEAD became GET.
    /// </summary>
    public static WebApplication UseBrowserHeaders(this WebApplication app)
    {
        app.UseMiddleware<BrowserHeadersMiddleware>();
        app.UseRouting();
        return app;
    }
}
