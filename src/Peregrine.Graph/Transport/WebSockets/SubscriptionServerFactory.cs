using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Subscriptions;

namespace Peregrine.Graph.Transport.WebSockets;

/// <summary>
/// Picks the subprotocol from the client's <c>Sec-WebSocket-Protocol</c> list: <c>graphql-transport-ws</c>
/// when offered, else the legacy <c>graphql-ws</c> — also when nothing is offered, as Hasura does.
/// </summary>
public sealed class SubscriptionServerFactory(GraphQLExecutor executor, LiveQueryRegistry registry, SessionResolver sessions,
    RequestLimitsOptions limits, IConfiguration configuration, ILogger<SubscriptionServerFactory> logger,
    PersistedQueries.AllowList? allowList = null)
{
    /// <summary>graphql-ws's default connectionInitWaitTimeout; <c>PEREGRINE_WS_INIT_TIMEOUT_SECONDS</c> overrides it.</summary>
    public TimeSpan ConnectionInitWaitTimeout { get; } =
        TimeSpan.FromSeconds(new Configuration.SettingsReader(configuration).Double("PEREGRINE_WS_INIT_TIMEOUT_SECONDS", 3, min: 0.001, max: 3600));

    private readonly SubscriptionServices _services = new(executor, registry, sessions, logger, limits.WsMaxSubscriptions, allowList);

    /// <summary>PEREGRINE_WS_MAX_MESSAGE_BYTES: a larger message closes the socket with 1009.</summary>
    public long MaxMessageBytes => limits.WsMaxMessageBytes;

    /// <summary>The subprotocol to accept, or null to accept without one (legacy behaviour).</summary>
    public static string? Choose(IList<string> requested)
    {
        if (requested.Contains(GraphQLWs.MessageType.SubProtocol)) return GraphQLWs.MessageType.SubProtocol;
        if (requested.Contains(SubscriptionsTransportWs.MessageType.SubProtocol)) return SubscriptionsTransportWs.MessageType.SubProtocol;
        return null;
    }

    internal BaseSubscriptionServer Create(string? subProtocol, WebSocketConnection connection) => subProtocol switch
    {
        GraphQLWs.MessageType.SubProtocol => new GraphQLWs.SubscriptionServer(connection, _services, ConnectionInitWaitTimeout),
        _ => new SubscriptionsTransportWs.SubscriptionServer(connection, _services),
    };
}
