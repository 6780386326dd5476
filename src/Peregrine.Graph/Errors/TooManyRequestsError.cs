namespace Peregrine.Graph.Errors;

/// <summary>A client over its request budget: HTTP 429 with <c>Retry-After</c>.</summary>
public sealed class TooManyRequestsError(TimeSpan retryAfter)
    : HasuraError("too-many-requests", "too many requests: retry later", "$")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
