using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Peregrine.Graph.Hosting.Browser;

/// <summary>
/// What browsers need from every route, before routing sees the request:
/// <list type="bullet">
/// <item>CORS (see <see cref="CorsPolicy"/>): a preflight <c>OPTIONS</c> is answered here, 204, on any path; an
/// allowed origin gets <c>Access-Control-Allow-*</c> on every response;</item>
/// <item><c>HEAD</c> wherever <c>GET</c> works: routed as <c>GET</c>, answered with its headers and no body;</item>
/// <item>security headers on every response: <c>X-Content-Type-Options: nosniff</c>, <c>Referrer-Policy: no-referrer</c>,
/// <c>X-Frame-Options: DENY</c> (and Kestrel sends no <c>Server</c> banner).</item>
/// </list>
/// </summary>
public sealed class BrowserHeadersMiddleware(RequestDelegate next, CorsPolicy cors)
{
    private const string Methods = "GET, HEAD, POST, OPTIONS";
    // What Hasura's and Nhost's clients send; a preflight's own list is echoed instead when it has one.
    private const string DefaultHeaders = "Authorization, Content-Type, X-Hasura-Admin-Secret, X-Hasura-Role, X-Hasura-User-Id";
    private const string MaxAgeSeconds = "86400";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        AddSecurityHeaders(response.Headers);

        var origin = request.Headers.Origin.ToString();
        var (allowed, credentials) = origin.Length > 0 ? cors.Check(origin) : (false, false);
        if (allowed)
        {
            response.Headers.AccessControlAllowOrigin = credentials ? origin : "*";
            if (credentials) response.Headers.AccessControlAllowCredentials = "true";
        }
        if (origin.Length > 0) response.Headers.Vary = "Origin";

        if (HttpMethods.IsOptions(request.Method))
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            response.Headers.Allow = Methods;
            if (allowed && request.Headers.ContainsKey("Access-Control-Request-Method"))
            {
                response.Headers.AccessControlAllowMethods = Methods;
                var asked = request.Headers.AccessControlRequestHeaders;
                response.Headers.AccessControlAllowHeaders = StringValues.IsNullOrEmpty(asked) ? DefaultHeaders : asked;
                response.Headers.AccessControlMaxAge = MaxAgeSeconds;
            }
            return Task.CompletedTask;
        }

        if (HttpMethods.IsHead(request.Method)) return HeadAsGetAsync(context);
        return next(context);
    }

    private async Task HeadAsGetAsync(HttpContext context)
    {
        context.Request.Method = HttpMethods.Get;
        // Back to HEAD before the response starts, so the server sends headers only (and does not hold the
        // missing body against Content-Length); the body the GET handler writes goes nowhere.
        context.Response.OnStarting(() => { context.Request.Method = HttpMethods.Head; return Task.CompletedTask; });
        var body = context.Response.Body;
        context.Response.Body = Stream.Null;
        try { await next(context); }
        finally { context.Response.Body = body; }
    }

    private static void AddSecurityHeaders(IHeaderDictionary headers)
    {
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
    }
}
