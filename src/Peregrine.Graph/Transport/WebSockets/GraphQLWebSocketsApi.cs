using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Subscriptions;

namespace Peregrine.Graph.Transport.WebSockets;

/// <summary>
/// <c>/v1/graphql</c> over websockets (the same path as HTTP: an upgrade request is taken here, before
/// the HTTP endpoints see it), and <c>/v1/realtime/stats</c> (admin only): the live-query counters.
/// </summary>
public static class GraphQLWebSocketsApi
{
    public static IApplicationBuilder MapGraphQLWebSockets(this IApplicationBuilder app)
    {
        app.Use(async (http, next) =>
        {
            if (http.Request.Path == "/v1/graphql" && http.WebSockets.IsWebSocketRequest) await HandleAsync(http);
            else if (http.Request.Path == "/v1/realtime/stats" && HttpMethods.IsGet(http.Request.Method)) await StatsAsync(http);
            else await next(http);
        });
        return app;
    }

    private static async Task HandleAsync(HttpContext http)
    {
        var factory = http.RequestServices.GetRequiredService<SubscriptionServerFactory>();
        var open = http.RequestServices.GetRequiredService<OpenConnections>();
        if (open.IsClosing)
        {
            // Shutting down: the client should connect to another instance.
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        var subProtocol = SubscriptionServerFactory.Choose(http.WebSockets.WebSocketRequestedProtocols);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(subProtocol);
        var connection = new WebSocketConnection(socket, factory.MaxMessageBytes);
        using var tracked = open.Track(connection);
        await factory.Create(subProtocol, connection).RunAsync(http.RequestAborted);
    }

    private static async Task StatsAsync(HttpContext http)
    {
        var sessions = http.RequestServices.GetRequiredService<SessionResolver>();
        try
        {
            if (!sessions.Resolve(http.Request.Headers).IsAdmin) throw new AccessDeniedError("admin only");
        }
        catch (HasuraError)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var registry = http.RequestServices.GetRequiredService<LiveQueryRegistry>();
        var s = registry.Stats;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            groups = registry.GroupCount,
            events = s.Events,
            refreshes = s.Refreshes,
            unchanged = s.Unchanged,
            pushes = s.Pushes,
            resyncs = s.Resyncs,
            multiplexedGroups = s.MultiplexedGroups,
        }));
    }
}
