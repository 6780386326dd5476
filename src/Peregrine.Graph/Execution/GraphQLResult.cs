using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Execution;

/// <summary>
/// The outcome of one request. <see cref="Phase"/> tells transports which status code fits: errors found
/// before execution (a malformed request, a failed validation) or during it.
/// </summary>
public sealed record GraphQLResult(RawJsonData? Data, IReadOnlyList<HasuraError> Errors, ErrorPhase Phase)
{
    public static GraphQLResult Ok(RawJsonData data) => new(data, [], ErrorPhase.None);
    public static GraphQLResult Failed(HasuraError error, ErrorPhase phase) => new(null, [error], phase);
}

/// <summary>Where a request failed; <see cref="Unavailable"/>: a dependency (PostgreSQL) is down, 503, worth retrying.</summary>
public enum ErrorPhase { None, Request, PayloadTooLarge, Validation, Execution, Authorization, MethodNotAllowed, RateLimited, Unavailable }
