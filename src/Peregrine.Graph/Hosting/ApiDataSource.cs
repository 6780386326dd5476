using Npgsql;

namespace Peregrine.Graph.Hosting;

/// <summary>The data source the API's requests share.</summary>
public static class ApiDataSource
{
    public static NpgsqlDataSource Build(string connectionString) => Build(connectionString, multiplexing: true, poolSize: null);

    /// <summary>
    /// The heavy-query lane's connections (<see cref="Execution.Admission.HeavyQueryLane"/>): the same sessions, not
    /// multiplexed (so a cancelled request cancels its statement), <paramref name="connections"/> of them, or half the
    /// API pool (at least 2).
    /// </summary>
    public static Execution.Admission.HeavyQueryLane BuildHeavyLane(string connectionString, NpgsqlDataSource api, int? connections)
    {
        var size = connections ?? Math.Max(2, new NpgsqlConnectionStringBuilder(api.ConnectionString).MaxPoolSize / 2);
        return new Execution.Admission.HeavyQueryLane(Build(connectionString, multiplexing: false, poolSize: size), size);
    }

    private static NpgsqlDataSource Build(string connectionString, bool multiplexing, int? poolSize)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Concurrent requests' statements are coalesced into fewer writes on a few connections instead of
            // one connection (and backend process) per in-flight request. Transactions still get their own.
            Multiplexing = multiplexing,
        };
        // A few connections keep PostgreSQL's backends on the cores instead of swapping between dozens of
        // them: on two cores, 4 connections answered the feed and cell queries ~40% faster than 100 (bench/Api).
        if (poolSize is { } size) b.MaxPoolSize = size;
        else if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase))
            b.MaxPoolSize = Math.Max(4, 2 * Environment.ProcessorCount);

        // Session settings, each unless the operator's Options already set it.
        // Every statement is prepared and shaped by the API, not by its values; planning it once (a generic plan)
        // instead of at every execution saves ~0.15 ms per query.
        Default(b, "plan_cache_mode", "force_generic_plan");
        // Generic plans cannot see parameter values, so their row estimates can be far too high, and a parallel
        // plan then spends more starting workers than it saves; with many requests in flight the cores are busy anyway.
        Default(b, "max_parallel_workers_per_gather", "0");
        // A multiplexed connection carries other requests' statements: if a slow one outlived the client's
        // command timeout, Npgsql would break the connection and fail them all. PostgreSQL cancels it first,
        // which fails that statement alone.
        if (b.CommandTimeout > 1) Default(b, "statement_timeout", ((b.CommandTimeout - 1) * 1000).ToString());
        return new NpgsqlDataSourceBuilder(b.ConnectionString).Build();
    }

    private static void Default(NpgsqlConnectionStringBuilder b, string setting, string value)
    {
        var options = b.Options ?? "";
        if (!options.Contains(setting, StringComparison.Ordinal))
            b.Options = $"{options} -c {setting}={value}".Trim();
    }
}
