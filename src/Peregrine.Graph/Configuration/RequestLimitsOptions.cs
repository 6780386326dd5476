using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Ir;

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

    public static RequestLimitsOptions FromConfiguration(IConfiguration config)
    {
        long Read(string name, long fallback) =>
            long.TryParse(config[name], out var v) && v > 0 ? v : fallback;

        var normal = new RequestLimits(
            MaxDocumentBytes: Read("PEREGRINE_MAX_DOCUMENT_BYTES", 262_144),
            MaxFields: (int)Math.Min(int.MaxValue, Read("PEREGRINE_MAX_FIELDS", 2_000)),
            MaxAliases: (int)Math.Min(int.MaxValue, Read("PEREGRINE_MAX_ALIASES", 200)),
            MaxDepth: (int)Math.Min(RequestLimits.MaxNesting, Read("PEREGRINE_MAX_DEPTH", 15)),
            MaxBatch: (int)Math.Min(int.MaxValue, Read("PEREGRINE_MAX_BATCH", 20)),
            ValidationTimeout: TimeSpan.FromMilliseconds(Read("PEREGRINE_VALIDATION_TIMEOUT_MS", 500)),
            MaxResponseBytes: Read("PEREGRINE_MAX_RESPONSE_BYTES", 32L * 1024 * 1024));
        var admin = new RequestLimits(
            MaxDocumentBytes: Read("PEREGRINE_ADMIN_MAX_DOCUMENT_BYTES", normal.MaxDocumentBytes),
            MaxFields: (int)Math.Min(int.MaxValue, Read("PEREGRINE_ADMIN_MAX_FIELDS", normal.MaxFields)),
            MaxAliases: (int)Math.Min(int.MaxValue, Read("PEREGRINE_ADMIN_MAX_ALIASES", normal.MaxAliases)),
            MaxDepth: (int)Math.Min(RequestLimits.MaxNesting, Read("PEREGRINE_ADMIN_MAX_DEPTH", normal.MaxDepth)),
            MaxBatch: (int)Math.Min(int.MaxValue, Read("PEREGRINE_ADMIN_MAX_BATCH", normal.MaxBatch)),
            ValidationTimeout: TimeSpan.FromMilliseconds(Read("PEREGRINE_ADMIN_VALIDATION_TIMEOUT_MS", (long)normal.ValidationTimeout.TotalMilliseconds)),
            MaxResponseBytes: Read("PEREGRINE_ADMIN_MAX_RESPONSE_BYTES", normal.MaxResponseBytes));
        return new RequestLimitsOptions
        {
            Default = normal,
            Admin = admin,
            WsMaxSubscriptions = (int)Math.Min(int.MaxValue, Read("PEREGRINE_WS_MAX_SUBSCRIPTIONS", 100)),
            WsMaxMessageBytes = Read("PEREGRINE_WS_MAX_MESSAGE_BYTES", 1024 * 1024),
            DefaultRowLimit = long.TryParse(config["PEREGRINE_MAX_ROWS"], out var rows) && rows >= 0 ? (rows == 0 ? null : rows) : 10_000,
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
