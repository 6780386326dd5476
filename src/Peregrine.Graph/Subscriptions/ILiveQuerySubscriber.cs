using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Subscriptions;

/// <summary>One client operation listening to a live query. Calls must not block: enqueue and return.</summary>
public interface ILiveQuerySubscriber
{
    /// <summary>A new result: a GraphQL response as JSON (<c>{"data":…}</c>, or <c>{"errors":…}</c> when a run failed).</summary>
    void OnNext(string payload);

    /// <summary>The operation cannot run (it failed validation): no further call follows.</summary>
    void OnError(IReadOnlyList<HasuraError> errors);
}
