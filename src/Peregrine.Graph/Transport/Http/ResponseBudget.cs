using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Limits;

namespace Peregrine.Graph.Transport.Http;

/// <summary>
/// The bytes one HTTP response may carry (PEREGRINE_MAX_RESPONSE_BYTES), spent by the answers of a request
/// in order: an answer that would go past the limit is replaced by the limit's error, and so is every one after.
/// </summary>
internal sealed class ResponseBudget(RequestLimits limits, bool admin)
{
    private long _spent;

    public GraphQLResult Spend(GraphQLResult result)
    {
        if (result.Data is not { } data) return result;
        _spent += data.Length;
        return _spent <= limits.MaxResponseBytes
            ? result
            : GraphQLResult.Failed(RequestLimitErrors.ResponseBytes(limits, admin), ErrorPhase.Execution);
    }
}
