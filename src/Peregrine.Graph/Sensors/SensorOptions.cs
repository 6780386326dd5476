using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Sensors;

/// <summary>
/// Sensor ingest settings (README "## Sensors"). InfluxDB's address is PeregrineOptions.InfluxUrl
/// (<c>PEREGRINE_INFLUX_URL</c>), shared with <c>/healthz</c>; everything else about time-series lives here.
/// </summary>
public sealed partial class SensorOptions
{
    /// <summary>InfluxDB database the readings go to (PEREGRINE_INFLUX_DB, default <c>peregrine</c>).</summary>
    public string Database { get; init; } = "peregrine";
    /// <summary>How long raw readings are kept, an InfluxQL duration (PEREGRINE_INFLUX_RETENTION, default <c>30d</c>).</summary>
    public string Retention { get; init; } = "30d";

    /// <summary><see cref="Retention"/> as a span; null for INF.</summary>
    public TimeSpan? RetentionSpan => Retention.Equals("INF", StringComparison.OrdinalIgnoreCase) ? null
        : TimeSpan.FromHours(int.Parse(Retention[..^1], System.Globalization.CultureInfo.InvariantCulture)
            * (Retention[^1] switch { 'h' => 1, 'd' => 24, _ => 24 * 7 }));

    /// <summary>
    /// The oldest time a reading may have to be written at <paramref name="now"/>: InfluxDB drops points older than
    /// the retention policy (a 400 for the whole batch after ingest had answered), so they are refused up front, with
    /// a minute's margin for the time a batch takes to get there.
    /// </summary>
    public DateTimeOffset OldestWritable(DateTimeOffset now) =>
        RetentionSpan is { } span ? now - span + TimeSpan.FromMinutes(1) : Influx.LineProtocolEncoder.MinTime;

    /// <summary>Why a reading at <paramref name="time"/> cannot be kept, or null.</summary>
    public string? TooOld(DateTimeOffset time, DateTimeOffset oldest) =>
        time < oldest ? $"time {Influx.InfluxQl.Rfc3339(time)} is older than the retention policy keeps ({Retention}); it would be dropped" : null;
    /// <summary>Most bytes the disk spool may hold while InfluxDB is away (PEREGRINE_SENSOR_SPOOL_MB, default 256; fractions allowed).</summary>
    public long SpoolMaxBytes { get; init; } = 256L * 1024 * 1024;
    /// <summary>Folder of the spool (PEREGRINE_SENSOR_SPOOL_DIR, default <c>.data/sensor-spool</c> beside media's <c>.data/storage</c>).</summary>
    public string SpoolDirectory { get; init; } = Path.Combine(".data", "sensor-spool");
    /// <summary>A write InfluxDB has not answered within this goes to the spool (PEREGRINE_INFLUX_WRITE_TIMEOUT_SECONDS, default 5).</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Largest body <c>POST /v1/sensors/write</c> accepts (PEREGRINE_SENSOR_MAX_BODY_BYTES, default 16 MiB).</summary>
    public long MaxBodyBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Reads and validates every sensor setting: a bad value throws <see cref="InvalidSettingException"/>.</summary>
    public static SensorOptions FromConfiguration(IConfiguration config)
    {
        var s = new SettingsReader(config);
        return new SensorOptions
        {
            Database = s.Custom("PEREGRINE_INFLUX_DB", null, "expected letters, digits, '_' or '-' (at most 64)",
                v => DatabaseName().IsMatch(v.Trim()) ? v.Trim() : throw new FormatException("not a plain database name")) ?? "peregrine",
            Retention = s.Custom("PEREGRINE_INFLUX_RETENTION", null, "expected an InfluxQL duration of at least 1h such as 30d, 12w or INF",
                v => ParseRetention(v.Trim())) ?? "30d",
            SpoolMaxBytes = (long)(s.Double("PEREGRINE_SENSOR_SPOOL_MB", 256, min: 0.001, max: 1024 * 1024) * 1024 * 1024),
            SpoolDirectory = s.String("PEREGRINE_SENSOR_SPOOL_DIR")?.Trim() ?? Path.Combine(".data", "sensor-spool"),
            WriteTimeout = TimeSpan.FromSeconds(s.Double("PEREGRINE_INFLUX_WRITE_TIMEOUT_SECONDS", 5, min: 0.05, max: 600)),
            MaxBodyBytes = s.Long("PEREGRINE_SENSOR_MAX_BODY_BYTES", 16L * 1024 * 1024, min: 1024, max: 1L << 30),
        };
    }

    // The name and the duration are spliced into InfluxQL statements (quoted, but never from a client), so they are
    // held to shapes that cannot break out of their quotes.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex DatabaseName();

    [GeneratedRegex("^([0-9]{1,6})(h|d|w)$")]
    private static partial Regex Duration();

    private static string ParseRetention(string value)
    {
        if (value.Equals("INF", StringComparison.OrdinalIgnoreCase)) return "INF";
        // InfluxDB's smallest retention is one hour; minutes and seconds would only be refused there, later.
        var m = Duration().Match(value);
        if (!m.Success || int.Parse(m.Groups[1].Value) == 0) throw new FormatException("not a duration");
        return value;
    }
}
