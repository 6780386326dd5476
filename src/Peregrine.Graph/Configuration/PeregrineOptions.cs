using Microsoft.Extensions.Configuration;

namespace Peregrine.Graph.Configuration;

/// <summary>
/// Settings from the environment. Each is read under Peregrine's name first, then under Hasura's, so
/// an existing Hasura deployment's settings carry over unchanged.
/// </summary>
public sealed class PeregrineOptions
{
    public required string DatabaseConnectionString { get; init; }
    public string? RedisUrl { get; init; }
    public string? InfluxUrl { get; init; }
    public string? AdminSecret { get; init; }
    public string? JwtSecret { get; init; }
    public string? UnauthorizedRole { get; init; }
    /// <summary>The H3 resolution a report's <c>h3_index</c> gets when the client names none (PEREGRINE_H3_RESOLUTION).</summary>
    public int H3Resolution { get; init; } = 7;
    /// <summary>The declarative permissions file (PEREGRINE_PERMISSIONS_FILE); the one shipped beside the server by default.</summary>
    public string? PermissionsFile { get; init; }
    /// <summary>Mutations a user may send per second (PEREGRINE_MUTATIONS_PER_SECOND; 0 turns the limit off).</summary>
    public int MutationsPerSecond { get; init; } = 10;
    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBytes { get; init; } = 10 * 1024 * 1024;
    /// <summary>Memory for answers of read statements kept until a write commits (PEREGRINE_RESULT_CACHE_MB; 0 turns it off).</summary>
    public long ResultCacheBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>PostgreSQL's time limit for a query of any role but admin (PEREGRINE_QUERY_TIMEOUT_MS).</summary>
    public int QueryTimeoutMs { get; init; } = 10_000;
    /// <summary>The admin role's time limit for a query (PEREGRINE_ADMIN_QUERY_TIMEOUT_MS).</summary>
    public int AdminQueryTimeoutMs { get; init; } = 60_000;
    /// <summary>Largest estimated node count of a query of any role but admin (PEREGRINE_MAX_NODES; 0 turns it off).</summary>
    public long MaxNodes { get; init; } = 100_000;
    /// <summary>The admin role's node limit (PEREGRINE_ADMIN_MAX_NODES; 0 turns it off).</summary>
    public long AdminMaxNodes { get; init; } = 10_000_000;
    /// <summary>Estimated rows read above which a query runs on the heavy-query connections (PEREGRINE_HEAVY_QUERY_ROWS).</summary>
    public long HeavyQueryRows { get; init; } = 10_000;
    /// <summary>Connections for heavy queries (PEREGRINE_HEAVY_QUERY_CONNECTIONS; default half the API pool, at least 2).</summary>
    public int? HeavyQueryConnections { get; init; }

    public static PeregrineOptions FromConfiguration(IConfiguration config)
    {
        string? Read(string peregrine, string? hasura = null) =>
            NonEmpty(config[peregrine]) ?? (hasura is null ? null : NonEmpty(config[hasura]));

        var databaseUrl = Read("PEREGRINE_DATABASE_URL", "HASURA_GRAPHQL_DATABASE_URL")
            ?? throw new InvalidOperationException(
                "PEREGRINE_DATABASE_URL (or HASURA_GRAPHQL_DATABASE_URL) is not set; `./peregrine services env` prints it.");
        return new PeregrineOptions
        {
            DatabaseConnectionString = DatabaseUrl.ToConnectionString(databaseUrl),
            RedisUrl = Read("PEREGRINE_REDIS_URL"),
            InfluxUrl = Read("PEREGRINE_INFLUX_URL"),
            AdminSecret = Read("PEREGRINE_ADMIN_SECRET", "HASURA_GRAPHQL_ADMIN_SECRET"),
            JwtSecret = Read("PEREGRINE_JWT_SECRET", "HASURA_GRAPHQL_JWT_SECRET"),
            UnauthorizedRole = Read("PEREGRINE_UNAUTHORIZED_ROLE", "HASURA_GRAPHQL_UNAUTHORIZED_ROLE"),
            PermissionsFile = Read("PEREGRINE_PERMISSIONS_FILE"),
            MutationsPerSecond = int.TryParse(Read("PEREGRINE_MUTATIONS_PER_SECOND"), out var mps) && mps >= 0 ? mps : 10,
            H3Resolution = int.TryParse(Read("PEREGRINE_H3_RESOLUTION"), out var res) && res is >= 0 and <= 15 ? res : 7,
            MaxRequestBytes = long.TryParse(Read("PEREGRINE_MAX_REQUEST_BYTES"), out var max) && max > 0 ? max : 10 * 1024 * 1024,
            QueryTimeoutMs = int.TryParse(Read("PEREGRINE_QUERY_TIMEOUT_MS"), out var qt) && qt > 0 ? qt : 10_000,
            AdminQueryTimeoutMs = int.TryParse(Read("PEREGRINE_ADMIN_QUERY_TIMEOUT_MS"), out var aqt) && aqt > 0 ? aqt : 60_000,
            MaxNodes = long.TryParse(Read("PEREGRINE_MAX_NODES"), out var nodes) && nodes >= 0 ? nodes : 100_000,
            AdminMaxNodes = long.TryParse(Read("PEREGRINE_ADMIN_MAX_NODES"), out var adminNodes) && adminNodes >= 0 ? adminNodes : 10_000_000,
            HeavyQueryRows = long.TryParse(Read("PEREGRINE_HEAVY_QUERY_ROWS"), out var heavyRows) && heavyRows >= 0 ? heavyRows : 10_000,
            HeavyQueryConnections = int.TryParse(Read("PEREGRINE_HEAVY_QUERY_CONNECTIONS"), out var heavyConnections) && heavyConnections > 0 ? heavyConnections : null,
            ResultCacheBytes = (long.TryParse(Read("PEREGRINE_RESULT_CACHE_MB"), out var mb) && mb is >= 0 and <= 1 << 20 ? mb : 64) * 1024 * 1024,
        };
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
