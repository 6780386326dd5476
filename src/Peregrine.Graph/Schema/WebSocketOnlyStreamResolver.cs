using GraphQL;
using GraphQL.Resolvers;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Schema;

/// <summary>Subscription fields are served by the websocket transport; GraphQL.NET only needs one to exist.</summary>
internal sealed class WebSocketOnlyStreamResolver : ISourceStreamResolver
{
    public static readonly WebSocketOnlyStreamResolver Instance = new();

    public ValueTask<IObservable<object?>> ResolveAsync(IResolveFieldContext context) =>
        throw new ValidationFailedError("subscriptions are served over the websocket transport");
}
