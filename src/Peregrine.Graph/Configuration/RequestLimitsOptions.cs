using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Configuration;

/// <summary>
/// The bounds on the work one request may cause (issue 13): document size and shape, batch size, validation
/// time and response size, each from <c>PEREGRINE_MAX_*</c>. The admin role gets the same limits unless
/// <c>PEREGRINE_ADMIN_MAX_*</c> raises them — never unlimited by default.
/// </summary>
public sealed class RequestLimitsOptions
{
    public required RequestLimits Default { get; init; }
    public required RequestLimits Admin { get; init; }
    /// <summary>Subscriptions (operations) one websocket may hold at once (PEREGRINE_WS_MAX_SUBSCRIPTIONS).</summary>
    public int WsMaxSubscriptions { get; init; } = 100;
    /// <summary>Largest websocket message accepted (PEREGRINE_WS_MAX_MESSAGE_BYTES); larger closes with 1009.</summary>
    public long WsMaxMessageBytes { get; init; } = 1024 * 1024;
    /// <summary>Rows a non-admin role gets from one table when its select permission sets no limit (PEREGRINE_MAX_ROWS; 0: none).</summary>
    public long? DefaultRowLimit { get; init; } = 10_000;

    public RequestLimits For(Session session) => session.IsAdmin ? Admin : Default;

    /// <summary>Reads and validates every limit: a bad value throws <see cref="InvalidSettingException"/>.</summary>
    public static RequestLimitsOptions FromConfiguration(IConfiguration config)
    {
        var s = new SettingsReader(config);
        RequestLimits Read(string prefix, RequestLimits? fallback) => new(
            MaxDocumentBytes: s.Long(prefix + "MAX_DOCUMENT_BYTES", fallback?.MaxDocumentBytes ?? 262_144, min: 1),
            MaxFields: s.Int(prefix + "MAX_FIELDS", fallback?.MaxFields ?? 2_000, min: 1),
            MaxAliases: s.Int(prefix + "MAX_ALIASES", fallback?.MaxAliases ?? 200, min: 1),
            // Deeper than the bracket bound could never be reached: the scan refuses the text first.
            MaxDepth: s.Int(prefix + "MAX_DEPTH", fallback?.MaxDepth ?? 15, min: 1, max: RequestLimits.MaxNesting),
            MaxBatch: s.Int(prefix + "MAX_BATCH", fallback?.MaxBatch ?? 20, min: 1),
            ValidationTimeout: TimeSpan.FromMilliseconds(s.Long(prefix + "VALIDATION_TIMEOUT_MS",
                (long)(fallback?.ValidationTimeout.TotalMilliseconds ?? 500), min: 1, max: 3_600_000)),
            MaxResponseBytes: s.Long(prefix + "MAX_RESPONSE_BYTES", fallback?.MaxResponseBytes ?? 32L * 1024 * 1024, min: 1));

        var normal = Read("PEREGRINE_", null);
        var rows = s.Long("PEREGRINE_MAX_ROWS", 10_000, min: 0);
        return new RequestLimitsOptions
        {
            Default = normal,
            Admin = Read("PEREGRINE_ADMIN_", normal),
            WsMaxSubscriptions = s.Int("PEREGRINE_WS_MAX_SUBSCRIPTIONS", 100, min: 1),
            WsMaxMessageBytes = s.Long("PEREGRINE_WS_MAX_MESSAGE_BYTES", 1024 * 1024, min: 1),
            DefaultRowLimit = rows == 0 ? null : rows,
        };
    }
}

/// <summary>The limits one role's requests run under.</summary>
public sealed record RequestLimits(long MaxDocumentBytes, int MaxFields, int MaxAliases, int MaxDepth, int MaxBatch,
    TimeSpan ValidationTimeout, long MaxResponseBytes)
{
    /// <summary>
    /// Brackets (<c>{ [ (</c>) a document may nest, whatever the role: GraphQL.NET's parser and validation
    /// recurse once per level, so this bounds their stack before they see the text.
    /// </summary>
    public const int MaxNesting = 128;
}
