using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Peregrine.Graph.Observability;

/// <summary>
/// One line per request (category <c>Peregrine.Requests</c>): method, path (never the query string: GET requests
/// carry queries and variables there), status, milliseconds, the request id and, for GraphQL, each operation's
/// name, type and role. Never variables, headers or tokens. Requests of at least PEREGRINE_SLOW_QUERY_MS go out
/// at warning; health checks and scrapes at debug, so a load balancer's polling does not fill the log.
/// </summary>
public static class RequestLogging
{
    public const string Category = "Peregrine.Requests";

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<ObservabilityOptions>();
        if (!options.LogRequests) return app;
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return app.Use(async (http, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            var context = new RequestLogContext();
            RequestLogContext.Current = context;
            try { await next(http); }
            finally
            {
                RequestLogContext.Current = null;
                Write(logger, options, http, context, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    private static void Write(ILogger logger, ObservabilityOptions options, HttpContext http, RequestLogContext context, double ms)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.Length > 200) path = path[..200];
        var websocket = http.WebSockets.IsWebSocketRequest;
        var level = path is "/healthz" or "/metrics" ? LogLevel.Debug
            : !websocket && ms >= options.SlowQueryMs ? LogLevel.Warning
            : LogLevel.Information;
        if (!logger.IsEnabled(level)) return;

        string? name = null, type = null, role = null, error = null;
        if (context.Operations.Count > 0)
        {
            name = string.Join(',', context.Operations.Select(o => Clean(o.Name)));
            type = string.Join(',', context.Operations.Select(o => o.Type).Distinct());
            role = context.Operations[0].Role;
            error = context.Operations.Select(o => o.ErrorCode).FirstOrDefault(c => c is not null);
        }
        logger.Log(level,
            "{Method} {Path} {Status} in {ElapsedMs} ms{Slow} operation={OperationName} type={OperationType} role={Role} error={ErrorCode} request_id={RequestId}",
            http.Request.Method, path, http.Response.StatusCode, Math.Round(ms, 1), level == LogLevel.Warning ? " (slow)" : "",
            name ?? "-", websocket ? "websocket" : type ?? "-", role ?? "-", error ?? "-", http.TraceIdentifier);
    }

    // Operation names are client input: bounded and printable only, so a name cannot forge log lines.
    private static string Clean(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "anonymous";
        var shown = name.Length > 64 ? name[..64] : name;
        return new string(shown.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '?').ToArray());
    }
}
