using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Peregrine.Graph.Sensors.Influx;

/// <summary>
/// Makes an InfluxDB 1.x ready for readings; safe to run any number of times, on any number of instances:
/// <list type="number">
/// <item><c>CREATE DATABASE</c> (a no-op when it exists).</item>
/// <item>The database's default retention policy (whatever its name, usually <c>autogen</c>, so points written
/// before keep being read) altered to <c>PEREGRINE_INFLUX_RETENTION</c>; one named <c>raw</c> created as the
/// default when there is none.</item>
/// <item>A <c>one_year</c> policy (52 weeks) and the continuous query <c>sensor_readings_1m</c>, which every minute
/// writes 1-minute means of value, x, y and z per series (<c>GROUP BY *</c> keeps device_id, sensor and report_id)
/// into <c>one_year.sensor_readings_1m</c>. <c>RESAMPLE FOR 10m</c> recomputes the last ten minutes each time, so
/// readings that arrive a little late (a short spool) are averaged in too.</item>
/// </list>
/// A statement InfluxDB refuses (2.x and 3 accept writes on their v1 endpoints but not all of these) is logged
/// and skipped: setup must never stand between a device and its writes.
/// </summary>
internal sealed class InfluxSetup(HttpClient http, SensorOptions options, ILogger logger)
{
    public const string LongPolicy = "one_year";
    public const string ContinuousQuery = "sensor_readings_1m";
    public const string Rollup = "sensor_readings_1m";

    public async Task RunAsync(CancellationToken ct)
    {
        var db = Quote(options.Database);
        await RunAsync($"CREATE DATABASE {db}", ct);

        var policies = await QueryAsync($"SHOW RETENTION POLICIES ON {db}", ct);
        var rows = policies?["results"]?[0]?["series"]?[0]?["values"]?.AsArray() ?? [];
        var defaultPolicy = rows.Where(r => r?[4]?.GetValue<bool>() == true).Select(r => (string?)r![0]).FirstOrDefault();
        var shard = ShardDuration(options.Retention);
        await RunAsync(defaultPolicy is null
            ? $"CREATE RETENTION POLICY \"raw\" ON {db} DURATION {options.Retention} REPLICATION 1 SHARD DURATION {shard} DEFAULT"
            : $"ALTER RETENTION POLICY {Quote(defaultPolicy)} ON {db} DURATION {options.Retention} SHARD DURATION {shard} DEFAULT", ct);

        if (rows.Any(r => (string?)r?[0] == LongPolicy))
            await RunAsync($"ALTER RETENTION POLICY \"{LongPolicy}\" ON {db} DURATION 52w", ct);
        else
            await RunAsync($"CREATE RETENTION POLICY \"{LongPolicy}\" ON {db} DURATION 52w REPLICATION 1 SHARD DURATION 7d", ct);

        await RunAsync($"CREATE CONTINUOUS QUERY \"{ContinuousQuery}\" ON {db} RESAMPLE EVERY 1m FOR 10m BEGIN " +
            $"SELECT mean(\"value\") AS \"value\", mean(\"x\") AS \"x\", mean(\"y\") AS \"y\", mean(\"z\") AS \"z\" " +
            $"INTO {db}.\"{LongPolicy}\".\"{Rollup}\" FROM {db}..\"{LineProtocolEncoder.Measurement}\" GROUP BY time(1m), * END", ct);
    }

    // InfluxDB requires a shard group no longer than the policy; these are its own defaults for such durations.
    private static string ShardDuration(string retention)
    {
        if (retention == "INF") return "7d";
        var hours = int.Parse(retention[..^1]) * retention[^1] switch { 'h' => 1, 'd' => 24, _ => 24 * 7 };
        return hours <= 48 ? "1h" : hours <= 24 * 180 ? "1d" : "7d";
    }

    private async Task RunAsync(string statement, CancellationToken ct)
    {
        var answer = await QueryAsync(statement, ct);
        if (((string?)answer?["results"]?[0]?["error"] ?? (string?)answer?["error"]) is { } error)
            logger.LogWarning("InfluxDB setup statement refused ({Error}): {Statement}", error, statement);
    }

    private async Task<JsonNode?> QueryAsync(string statement, CancellationToken ct)
    {
        using var response = await http.PostAsync("query", new FormUrlEncodedContent([new("q", statement)]), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        // A 5xx means InfluxDB is not (yet) well: setup is retried later. Other answers carry an error to log.
        if ((int)response.StatusCode >= 500) throw new HttpRequestException($"InfluxDB /query answered {(int)response.StatusCode}: {InfluxWriter.Clip(text)}");
        try { return JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return new JsonObject { ["error"] = $"{(int)response.StatusCode}: {InfluxWriter.Clip(text)}" }; }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
