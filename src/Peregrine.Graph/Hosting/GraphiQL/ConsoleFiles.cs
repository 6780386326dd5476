using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Peregrine.Graph.Hosting.GraphiQL;

/// <summary>
/// The console bundle's files. Names are looked up in the bundle's flat assets folder only (the file provider
/// refuses paths that climb out of it), with a fixed content type per extension; anything else is 404.
/// </summary>
internal sealed class ConsoleFiles(string folder)
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    private readonly IFileProvider? _assets = Directory.Exists(Path.Combine(folder, "assets"))
        ? new PhysicalFileProvider(Path.Combine(folder, "assets")) : null;

    public async Task PageAsync(HttpContext context)
    {
        var page = Path.Combine(folder, "index.html");
        Secure(context.Response);
        if (!File.Exists(page))
        {
            // The server was built without the bundle: say how to make it instead of a blank page.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(
                "The console bundle is missing: run `npm ci && npm run build` in clients/console, then rebuild the server (./peregrine run does both).\n");
            return;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.SendFileAsync(page);
    }

    public async Task AssetAsync(HttpContext context, string name)
    {
        var file = _assets?.GetFileInfo(name);
        if (file is not { Exists: true, IsDirectory: false } || !Types.TryGetValue(Path.GetExtension(name), out var type))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        Secure(context.Response);
        context.Response.ContentType = type;
        context.Response.ContentLength = file.Length;
        await context.Response.SendFileAsync(file);
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ConsoleApi.ContentSecurityPolicy;
        // Names are not content-hashed: revalidate so a rebuilt bundle is picked up.
        response.Headers.CacheControl = "no-cache";
    }
}
