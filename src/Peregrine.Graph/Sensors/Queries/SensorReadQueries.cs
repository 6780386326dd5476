using System.Text;
using System.Text.RegularExpressions;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sensors.Influx;
using static Peregrine.Graph.Sensors.Influx.InfluxQl;

namespace Peregrine.Graph.Sensors.Queries;

/// <summary>
/// The InfluxQL behind every sensor read, one statement each: a device's readings, one sensor's time buckets, and
/// the relationship fields over many parents at once (GROUP BY the parent's tag, so LIMIT applies per parent).
/// Only checked values reach the text (<see cref="InfluxQl"/> quotes them); which devices a session may read is
/// decided in PostgreSQL before any of these run.
/// </summary>
public sealed class SensorReadQueries(InfluxQueryClient influx)
{
    /// <summary>Most buckets sensor_series returns.</summary>
    public const int MaxBuckets = 10_000;

    private const string Fields = "\"value\", \"x\", \"y\", \"z\"";

    public async Task<IReadOnlyList<SensorRow>> ReadingsAsync(Guid device, SensorRange range, CancellationToken ct)
    {
        var q = new StringBuilder("SELECT ").Append(Fields).Append(", \"sensor\", \"report_id\" FROM ").Append(Ident(Measurement))
            .Append(" WHERE ").Append(Ident("device_id")).Append(" = ").Append(String(device.ToString("D")));
        Where(q, range);
        Order(q, range);
        var series = await influx.QueryAsync(q.ToString(), ct);
        return series.SelectMany(s => SensorRow.From(s)).Select(r => r with { DeviceId = device.ToString("D") }).ToList();
    }

    /// <summary>Per device and sensor, the reading with the newest time, whatever order they were written in.</summary>
    public async Task<ILookup<string, SensorRow>> LatestAsync(IReadOnlyCollection<Guid> devices, string? sensor, CancellationToken ct)
    {
        var q = new StringBuilder("SELECT ").Append(Fields).Append(", \"report_id\" FROM ").Append(Ident(Measurement))
            .Append(" WHERE ").Append(AnyOf("device_id", devices));
        if (sensor is not null) q.Append(" AND ").Append(Ident("sensor")).Append(" = ").Append(String(sensor));
        q.Append(" GROUP BY \"device_id\", \"sensor\" ORDER BY time DESC LIMIT 1");
        return (await influx.QueryAsync(q.ToString(), ct)).SelectMany(SensorRow.From)
            .OrderBy(r => r.Sensor, StringComparer.Ordinal).ToLookup(r => r.DeviceId);
    }

    /// <summary>Each device's readings in the range, the limit applying per device.</summary>
    public async Task<ILookup<string, SensorRow>> DeviceReadingsAsync(IReadOnlyCollection<Guid> devices, SensorRange range, CancellationToken ct)
    {
        var q = new StringBuilder("SELECT ").Append(Fields).Append(", \"sensor\", \"report_id\" FROM ").Append(Ident(Measurement))
            .Append(" WHERE ").Append(AnyOf("device_id", devices));
        Where(q, range);
        q.Append(" GROUP BY \"device_id\"");
        Order(q, range);
        return (await influx.QueryAsync(q.ToString(), ct)).SelectMany(SensorRow.From).ToLookup(r => r.DeviceId);
    }

    /// <summary>Readings recorded with each report (tag report_id), oldest first.</summary>
    public async Task<ILookup<string, SensorRow>> ReportReadingsAsync(IReadOnlyCollection<Guid> reports, SensorRange range, CancellationToken ct)
    {
        var q = new StringBuilder("SELECT ").Append(Fields).Append(", \"device_id\", \"sensor\" FROM ").Append(Ident(Measurement))
            .Append(" WHERE ").Append(AnyOf("report_id", reports));
        Where(q, range);
        q.Append(" GROUP BY \"report_id\"");
        Order(q, range);
        return (await influx.QueryAsync(q.ToString(), ct)).SelectMany(SensorRow.From).ToLookup(r => r.ReportId ?? "");
    }

    /// <summary>One sensor's readings in buckets of <paramref name="every"/>: (bucket start, value) pairs.</summary>
    public async Task<IReadOnlyList<(string Time, double? Value)>> SeriesAsync(Guid device, string sensor, DateTimeOffset from, DateTimeOffset to,
        SeriesBucket every, string fn, string fill, string path, CancellationToken ct)
    {
        if (to <= from) return [];
        var buckets = (long)Math.Ceiling((to - from).Ticks / (double)every.Width.Ticks) + 1;
        if (buckets > MaxBuckets)
            throw new ValidationFailedError(
                $"sensor_series would return up to {buckets} points; at most {MaxBuckets}: widen \"every\" or narrow \"from\"/\"to\"", path + ".args.every");
        var q = new StringBuilder("SELECT ").Append(fn).Append("(\"value\") AS \"value\" FROM ").Append(Ident(Measurement))
            .Append(" WHERE ").Append(Ident("device_id")).Append(" = ").Append(String(device.ToString("D")))
            .Append(" AND ").Append(Ident("sensor")).Append(" = ").Append(String(sensor))
            .Append(" AND time >= ").Append(Time(from)).Append(" AND time < ").Append(Time(to))
            .Append(" GROUP BY time(").Append(every.Literal).Append(") fill(").Append(fill).Append(')');
        var series = await influx.QueryAsync(q.ToString(), ct);
        var points = new List<(string, double?)>();
        foreach (var s in series)
        {
            int t = s.Column("time"), v = s.Column("value");
            foreach (var r in s.Rows)
                points.Add((r[t].GetString() ?? "", r[v].ValueKind == System.Text.Json.JsonValueKind.Number ? r[v].GetDouble() : null));
        }
        return points;
    }

    private static void Where(StringBuilder q, SensorRange range)
    {
        if (range.Sensor is not null) q.Append(" AND ").Append(Ident("sensor")).Append(" = ").Append(String(range.Sensor));
        if (range.From is { } from) q.Append(" AND time >= ").Append(Time(from));
        if (range.To is { } to) q.Append(" AND time <= ").Append(Time(to));
    }

    private static void Order(StringBuilder q, SensorRange range)
    {
        if (range.Descending) q.Append(" ORDER BY time DESC");
        q.Append(" LIMIT ").Append(range.Limit);
    }
}

/// <summary>A bucket width of sensor_series: an InfluxQL duration literal of one unit, checked.</summary>
public sealed partial record SeriesBucket(string Literal, TimeSpan Width)
{
    public static SeriesBucket Parse(string? text, string path)
    {
        var m = Pattern().Match(text ?? "");
        if (!m.Success)
            throw new ValidationFailedError($"\"every\" must be a positive number and one unit of ms, s, m, h, d or w (e.g. 10s, 1m, 1h), not \"{Clip(text)}\"", path);
        var n = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            _ => TimeSpan.FromDays(7),
        };
        return new SeriesBucket(m.Value, TimeSpan.FromTicks(n * unit.Ticks));
    }

    private static string Clip(string? s) => s is null ? "" : s.Length > 32 ? s[..32] + "…" : s;

    // Up to 6 digits: a million weeks is past any retention, and the product cannot overflow ticks.
    [GeneratedRegex("^([1-9][0-9]{0,5})(ms|s|m|h|d|w)$")]
    private static partial Regex Pattern();
}
