using Microsoft.Extensions.Logging;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Subscriptions;

namespace Peregrine.Graph.Transport.WebSockets;

/// <summary>What every connection's server needs from the host.</summary>
internal sealed record SubscriptionServices(
    GraphQLExecutor Executor,
    LiveQueryRegistry Registry,
    SessionResolver Sessions,
    ILogger Logger,
    int MaxSubscriptions,
    PersistedQueries.AllowList? AllowList = null);
