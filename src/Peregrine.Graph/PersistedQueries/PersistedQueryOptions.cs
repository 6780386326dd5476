using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.PersistedQueries;

/// <summary>
/// Automatic persisted queries: PEREGRINE_APQ_MAX_ENTRIES documents kept in memory (per instance),
/// PEREGRINE_APQ_TTL_SECONDS in Redis (shared) when PEREGRINE_REDIS_URL is set; PEREGRINE_APQ_ENABLED=false turns them off.
/// </summary>
/// <remarks>PEREGRINE_ALLOW_LIST=true runs only registered documents (<see cref="AllowList"/>); PEREGRINE_OPERATIONS_DIR is the
/// folder of registered <c>.graphql</c> documents (the shipped Operations/ by default).</remarks>
public sealed record PersistedQueryOptions(bool Enabled, int MaxEntries, TimeSpan Ttl, string? RedisUrl)
{
    public static PersistedQueryOptions FromConfiguration(IConfiguration config, PeregrineOptions peregrine)
    {
        var s = new SettingsReader(config);
        var enabled = s.Custom("PEREGRINE_APQ_ENABLED", null, "expected true or false", v => bool.Parse(v.Trim()) ? "true" : "false") != "false";
        var allowList = s.Custom("PEREGRINE_ALLOW_LIST", "HASURA_GRAPHQL_ENABLE_ALLOWLIST", "expected true or false",
            v => bool.Parse(v.Trim()) ? "true" : "false") == "true";
        return new PersistedQueryOptions(enabled,
            s.Int("PEREGRINE_APQ_MAX_ENTRIES", 10_000, min: 1, max: 10_000_000),
            TimeSpan.FromSeconds(s.Int("PEREGRINE_APQ_TTL_SECONDS", 7 * 24 * 3600, min: 1)),
            peregrine.RedisUrl)
        {
            AllowList = allowList,
            OperationsFolder = s.String("PEREGRINE_OPERATIONS_DIR") ?? Path.Combine(AppContext.BaseDirectory, "Operations"),
        };
    }

    public bool AllowList { get; init; }
    public string OperationsFolder { get; init; } = Path.Combine(AppContext.BaseDirectory, "Operations");
}
