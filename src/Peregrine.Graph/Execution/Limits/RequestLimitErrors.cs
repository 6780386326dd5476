using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Execution.Limits;

/// <summary>
/// The error of each limit: <c>validation-failed</c>, naming the setting (the admin's own when it is the
/// admin's request) and its value, so an operator knows which one to raise.
/// </summary>
public static class RequestLimitErrors
{
    public static string Setting(string name, bool admin) => admin ? $"PEREGRINE_ADMIN_{name}" : $"PEREGRINE_{name}";

    public static ValidationFailedError DocumentBytes(long bytes, RequestLimits limits, bool admin) =>
        new($"the query document is {bytes} bytes, over the limit of {limits.MaxDocumentBytes} bytes ({Setting("MAX_DOCUMENT_BYTES", admin)}={limits.MaxDocumentBytes})", "$.query");

    public static ValidationFailedError Nesting() =>
        new($"query nesting too deep: brackets nest more than {RequestLimits.MaxNesting} levels", "$.query");

    /// <summary>The first limit the shape breaks, or null when it keeps within all of them.</summary>
    public static ValidationFailedError? Check(DocumentShape shape, RequestLimits limits, bool admin)
    {
        if (shape.Depth > limits.MaxDepth)
            return new($"the query is nested {shape.Depth} fields deep, over the limit of {limits.MaxDepth} ({Setting("MAX_DEPTH", admin)}={limits.MaxDepth})", "$.query");
        if (shape.FragmentDepth > limits.MaxDepth)
            return new($"fragment spreads are nested {shape.FragmentDepth} deep, over the limit of {limits.MaxDepth} ({Setting("MAX_DEPTH", admin)}={limits.MaxDepth})", "$.query");
        if (shape.Fields > limits.MaxFields)
            return new($"the query selects {Count(shape.Fields)} fields once fragments are expanded, over the limit of {limits.MaxFields} ({Setting("MAX_FIELDS", admin)}={limits.MaxFields})", "$.query");
        if (shape.Aliases > limits.MaxAliases)
            return new($"the query has {Count(shape.Aliases)} aliases once fragments are expanded, over the limit of {limits.MaxAliases} ({Setting("MAX_ALIASES", admin)}={limits.MaxAliases})", "$.query");
        return null;
    }

    public static ValidationFailedError Batch(int count, RequestLimits limits, bool admin) =>
        new($"the batch holds {count} operations, over the limit of {limits.MaxBatch} ({Setting("MAX_BATCH", admin)}={limits.MaxBatch})");

    public static ValidationFailedError ValidationTimeout(RequestLimits limits, bool admin) =>
        new($"validating the query took longer than {(long)limits.ValidationTimeout.TotalMilliseconds} ms ({Setting("VALIDATION_TIMEOUT_MS", admin)}={(long)limits.ValidationTimeout.TotalMilliseconds})", "$.query");

    public static ValidationFailedError ResponseBytes(RequestLimits limits, bool admin) =>
        new($"the response is larger than {limits.MaxResponseBytes} bytes ({Setting("MAX_RESPONSE_BYTES", admin)}={limits.MaxResponseBytes})");

    private static string Count(long n) => n >= int.MaxValue ? "more than 2147483647" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
