using Microsoft.Extensions.Configuration;
using Peregrine.Domain.Events;

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

    /// <summary>Hot standbys that answer queries and live-query refreshes (PEREGRINE_READ_REPLICA_URLS); none by default.</summary>
    public IReadOnlyList<string> ReadReplicaConnectionStrings { get; init; } = [];
    /// <summary>How often each replica is probed for health and lag (PEREGRINE_READ_REPLICA_CHECK_MS).</summary>
    public TimeSpan ReadReplicaCheckInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A replica further behind its primary than this takes no queries until it catches up (PEREGRINE_READ_REPLICA_MAX_LAG_MS).</summary>
    public TimeSpan ReadReplicaMaxLag { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a live-query refresh waits for a replica to replay the change that woke it before running on the primary (PEREGRINE_READ_REPLICA_CATCH_UP_MS).</summary>
    public TimeSpan ReadReplicaCatchUpWait { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a stopping server waits for requests in flight and websockets to close (PEREGRINE_SHUTDOWN_TIMEOUT_SECONDS).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reads and validates every setting: a bad value throws <see cref="InvalidSettingException"/>.</summary>
    public static PeregrineOptions FromConfiguration(IConfiguration config)
    {
        var s = new SettingsReader(config);
        var databaseUrl = s.String("PEREGRINE_DATABASE_URL", "HASURA_GRAPHQL_DATABASE_URL")
            ?? throw new InvalidSettingException("PEREGRINE_DATABASE_URL", "",
                "required (or HASURA_GRAPHQL_DATABASE_URL): postgres://user:password@host:port/db; `./peregrine services env` prints it");
        return new PeregrineOptions
        {
            DatabaseConnectionString = s.Custom("PEREGRINE_DATABASE_URL", "HASURA_GRAPHQL_DATABASE_URL",
                "expected postgres://user:password@host:port/db or an Npgsql connection string", DatabaseUrl.ToConnectionString)!,
            RedisUrl = s.Custom("PEREGRINE_REDIS_URL", null, "expected redis://[user:password@]host[:port][/db] or a StackExchange.Redis configuration",
                CheckRedisUrl),
            InfluxUrl = s.Url("PEREGRINE_INFLUX_URL", "http", "https"),
            AdminSecret = s.String("PEREGRINE_ADMIN_SECRET", "HASURA_GRAPHQL_ADMIN_SECRET"),
            JwtSecret = s.Custom("PEREGRINE_JWT_SECRET", "HASURA_GRAPHQL_JWT_SECRET",
                "expected Hasura's JWT secret JSON, e.g. {\"type\":\"HS256\",\"key\":\"<32+ characters>\"} or {\"jwk_url\":\"https://…\"}",
                JwtSecretCheck.Validate, secret: true),
            UnauthorizedRole = s.String("PEREGRINE_UNAUTHORIZED_ROLE", "HASURA_GRAPHQL_UNAUTHORIZED_ROLE"),
            PermissionsFile = s.String("PEREGRINE_PERMISSIONS_FILE"),
            MutationsPerSecond = s.Int("PEREGRINE_MUTATIONS_PER_SECOND", 10, min: 0),
            H3Resolution = s.Int("PEREGRINE_H3_RESOLUTION", 7, min: 0, max: 15),
            MaxRequestBytes = s.Long("PEREGRINE_MAX_REQUEST_BYTES", 10 * 1024 * 1024, min: 1),
            // Past a terabyte the byte count would overflow.
            ResultCacheBytes = s.Long("PEREGRINE_RESULT_CACHE_MB", 64, min: 0, max: 1 << 20) * 1024 * 1024,
            ShutdownTimeout = TimeSpan.FromSeconds(s.Double("PEREGRINE_SHUTDOWN_TIMEOUT_SECONDS", 10, min: 0, max: 3600)),
            QueryTimeoutMs = s.Int("PEREGRINE_QUERY_TIMEOUT_MS", 10_000, min: 1),
            AdminQueryTimeoutMs = s.Int("PEREGRINE_ADMIN_QUERY_TIMEOUT_MS", 60_000, min: 1),
            MaxNodes = s.Long("PEREGRINE_MAX_NODES", 100_000, min: 0),
            AdminMaxNodes = s.Long("PEREGRINE_ADMIN_MAX_NODES", 10_000_000, min: 0),
            HeavyQueryRows = s.Long("PEREGRINE_HEAVY_QUERY_ROWS", 10_000, min: 0),
            HeavyQueryConnections = s.Int("PEREGRINE_HEAVY_QUERY_CONNECTIONS", 0, min: 0) is > 0 and var heavy ? heavy : null,
            // Secret: the URLs carry passwords.
            ReadReplicaConnectionStrings = s.Custom("PEREGRINE_READ_REPLICA_URLS", "HASURA_GRAPHQL_READ_REPLICA_URLS",
                "expected comma-separated postgres://user:password@host:port/db URLs or Npgsql connection strings",
                ReadReplicaUrls.Parse, secret: true) ?? [],
            ReadReplicaCheckInterval = TimeSpan.FromMilliseconds(s.Int("PEREGRINE_READ_REPLICA_CHECK_MS", 1000, min: 50, max: 60_000)),
            ReadReplicaMaxLag = TimeSpan.FromMilliseconds(s.Int("PEREGRINE_READ_REPLICA_MAX_LAG_MS", 10_000, min: 0)),
            ReadReplicaCatchUpWait = TimeSpan.FromMilliseconds(s.Int("PEREGRINE_READ_REPLICA_CATCH_UP_MS", 500, min: 0, max: 60_000)),
        };
    }

    private static string CheckRedisUrl(string value) =>
        RedisChangeBus.ParseUrl(value).EndPoints.Count > 0 ? value : throw new FormatException("no host");
}
