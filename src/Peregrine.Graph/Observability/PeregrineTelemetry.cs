using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Observability;

/// <summary>
/// The server's one <see cref="ActivitySource"/> and <see cref="Meter"/> (both named <c>Peregrine</c>) and the
/// instruments the code counts into. Gauges read counts the owning services already keep (registered in
/// <see cref="TelemetryGauges"/>). Operation names are client input: only <see cref="MaxOperationNames"/>
/// distinct well-formed names become label values, the rest are <c>other</c>, so a hostile client cannot grow
/// the metric series without bound.
/// </summary>
public static partial class PeregrineTelemetry
{
    public const string Name = "Peregrine";
    public const int MaxOperationNames = 200;
    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("peregrine.graphql.requests",
        description: "GraphQL operations executed, by operation name and type and outcome (ok or error)");
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("peregrine.graphql.request.duration", unit: "s",
        description: "Time to execute a GraphQL operation, by operation name and type");
    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("peregrine.graphql.errors",
        description: "Errors answered, by Hasura error code");
    public static readonly Counter<long> RateLimited = Meter.CreateCounter<long>("peregrine.rate_limit.rejections",
        description: "Requests refused by a rate limit (mutations per second, sign-in attempts)");

    /// <summary>Label values of <see cref="RateLimited"/>'s <c>limit</c>: which limit refused the request.</summary>
    public static class Limits
    {
        /// <summary>PEREGRINE_MUTATIONS_PER_SECOND: mutations per second and client.</summary>
        public const string Mutations = "mutations";
        /// <summary>The auth endpoints' sign-in limits (per address, per address and account, per account, TOTP codes).</summary>
        public const string SignIn = "signin";
        /// <summary>/oauth/token's limits for devices (the same budgets as sign-in, counted apart).</summary>
        public const string OAuthToken = "oauth_token";
    }

    /// <summary>One request refused by <paramref name="limit"/> (one of <see cref="Limits"/>).</summary>
    public static void RateLimitRejected(string limit) => RateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    /// <summary>
    /// A <c>graphql.sql</c> span for one batch; the statement text is attached only when the operation runs as
    /// admin (other roles' statements embed permission filters built from session variables).
    /// </summary>
    public static Activity? StartSql(IReadOnlyList<Sql.CompiledStatement> statements)
    {
        var span = Source.StartActivity("graphql.sql");
        if (span is null) return null;
        span.SetTag("db.system.name", "postgresql");
        span.SetTag("peregrine.statements", statements.Count);
        for (var a = span.Parent; a is not null; a = a.Parent)
        {
            if (a.OperationName != "graphql.operation") continue;
            if (a.GetTagItem("peregrine.role") as string == Session.AdminRole)
                span.SetTag("db.query.text", string.Join(";\n", statements.Select(s => s.Sql)));
            break;
        }
        return span;
    }

    private static readonly ConcurrentDictionary<string, byte> KnownNames = new(StringComparer.Ordinal);

    /// <summary>The label value for a client-chosen operation name.</summary>
    public static string OperationLabel(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "anonymous";
        if (name.Length > 64 || !NameShape().IsMatch(name)) return "other";
        if (KnownNames.ContainsKey(name)) return name;
        if (KnownNames.Count >= MaxOperationNames) return "other";
        KnownNames.TryAdd(name, 0);
        return name;
    }

    [GeneratedRegex("^[_A-Za-z][_0-9A-Za-z]*$")]
    private static partial Regex NameShape();
}
