using System.Globalization;
using System.Text;

namespace Peregrine.Graph.Sensors.Influx;

/// <summary>
/// <see cref="SensorReading"/> → one line of InfluxDB line protocol:
/// <code>sensor_readings,device_id=&lt;uuid&gt;,sensor=&lt;name&gt;[,report_id=&lt;uuid&gt;] value=&lt;f&gt;|x=&lt;f&gt;,y=&lt;f&gt;,z=&lt;f&gt; &lt;ns&gt;</code>
/// Tags are written in key order (InfluxDB sorts them anyway; sorted input spares it the work). Floats use .NET's
/// shortest round-trip form ("R"), which InfluxDB's parser reads back to the same double, exponent included.
/// </summary>
public static class LineProtocolEncoder
{
    public const string Measurement = "sensor_readings";
    /// <summary>Longest sensor name accepted anywhere (a tag value; InfluxDB keys series by it).</summary>
    public const int MaxSensorLength = 256;

    // InfluxDB's time range: nanoseconds since 1970 in a signed 64-bit integer.
    public static readonly DateTimeOffset MinTime = new(1677, 9, 22, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset MaxTime = new(2262, 4, 11, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Why <paramref name="sensor"/> cannot be a sensor name, or null when it can. Line protocol cannot carry a
    /// newline in a tag value at all, and 1.x reads a backslash before a space, comma or '=' (or at the end) as
    /// an escape, so a backslash would not come back as written: both are refused rather than mangled.
    /// </summary>
    public static string? InvalidSensorName(string? sensor)
    {
        if (string.IsNullOrEmpty(sensor)) return "sensor must be a non-empty string";
        if (sensor.Length > MaxSensorLength) return $"sensor is longer than {MaxSensorLength} characters";
        foreach (var c in sensor)
        {
            if (char.IsControl(c)) return "sensor contains a control character";
            if (c == '\\') return "sensor contains a backslash";
        }
        if (!sensor.AsSpan().ContainsAnyExcept(' ')) return "sensor must not be only spaces";
        return null;
    }

    /// <summary>Why the reading cannot be stored (bad sensor, non-finite or missing fields, time out of range), or null.</summary>
    public static string? Invalid(SensorReading r)
    {
        if (InvalidSensorName(r.Sensor) is { } bad) return bad;
        var vector = r.X is not null || r.Y is not null || r.Z is not null;
        if (r.Value is not null && vector) return "a reading has either value or x, y and z, not both";
        if (r.Value is null && !(r.X is not null && r.Y is not null && r.Z is not null)) return "a reading needs value, or all of x, y and z";
        foreach (var f in (ReadOnlySpan<double?>)[r.Value, r.X, r.Y, r.Z])
            if (f is { } v && !double.IsFinite(v)) return "field values must be finite numbers";
        if (r.Time < MinTime || r.Time > MaxTime) return "time is outside InfluxDB's range (1677-09-22 to 2262-04-11)";
        return null;
    }

    /// <summary>Appends the batch, one line each, every line ending in '\n'.</summary>
    public static void Encode(IReadOnlyList<SensorReading> batch, StringBuilder sb, int start = 0, int count = int.MaxValue)
    {
        var end = (int)Math.Min(batch.Count, (long)start + count);
        for (var i = start; i < end; i++) AppendLine(sb, batch[i]);
    }

    public static string Encode(IReadOnlyList<SensorReading> batch)
    {
        var sb = new StringBuilder(batch.Count * 110);
        Encode(batch, sb);
        return sb.ToString();
    }

    public static void AppendLine(StringBuilder sb, SensorReading r)
    {
        // Callers validate; this is the last line of defence against a line that would corrupt its neighbours.
        if (Invalid(r) is { } reason) throw new ArgumentException($"reading cannot be encoded: {reason}", nameof(r));
        sb.Append(Measurement).Append(",device_id=").Append(r.DeviceId.ToString("D"));
        if (r.ReportId is { } report) sb.Append(",report_id=").Append(report.ToString("D"));
        sb.Append(",sensor=");
        AppendTagValue(sb, r.Sensor);
        sb.Append(' ');
        if (r.Value is { } v) AppendField(sb, "value", v);
        else
        {
            AppendField(sb, "x", r.X!.Value);
            sb.Append(',');
            AppendField(sb, "y", r.Y!.Value);
            sb.Append(',');
            AppendField(sb, "z", r.Z!.Value);
        }
        sb.Append(' ').Append(UnixNanoseconds(r.Time).ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>
    /// The same lines as <see cref="AppendLine"/>, written straight as UTF-8 into <paramref name="output"/>: no
    /// StringBuilder, no string per number or id, no transcoding of the whole batch afterwards.
    /// </summary>
    public static void EncodeUtf8(IReadOnlyList<SensorReading> batch, Ingest.PooledBytes output)
    {
        foreach (var r in batch)
        {
            if (Invalid(r) is { } reason) throw new ArgumentException($"reading cannot be encoded: {reason}", nameof(batch));
            // Two uuids, four numbers of at most 32 bytes, the nanoseconds, the sensor escaped (3 bytes a char, 1 escape).
            var span = output.FreeSpace(Measurement.Length + 120 + 4 * (32 + 3) + 24 + 4 * r.Sensor.Length).Span;
            var at = Put(span, 0, "sensor_readings,device_id="u8);
            at += Guid(span[at..], r.DeviceId);
            if (r.ReportId is { } report)
            {
                at = Put(span, at, ",report_id="u8);
                at += Guid(span[at..], report);
            }
            at = Put(span, at, ",sensor="u8);
            // Segments between the characters line protocol escapes, each encoded whole (surrogate pairs stay pairs).
            var rest = r.Sensor.AsSpan();
            while (true)
            {
                var stop = rest.IndexOfAny(", =");
                at += System.Text.Encoding.UTF8.GetBytes(stop < 0 ? rest : rest[..stop], span[at..]);
                if (stop < 0) break;
                span[at++] = (byte)'\\';
                span[at++] = (byte)rest[stop];
                rest = rest[(stop + 1)..];
            }
            span[at++] = (byte)' ';
            if (r.Value is { } v) at = Field(span, at, "value="u8, v);
            else
            {
                at = Field(span, at, "x="u8, r.X!.Value);
                span[at++] = (byte)',';
                at = Field(span, at, "y="u8, r.Y!.Value);
                span[at++] = (byte)',';
                at = Field(span, at, "z="u8, r.Z!.Value);
            }
            span[at++] = (byte)' ';
            UnixNanoseconds(r.Time).TryFormat(span[at..], out var written, default, CultureInfo.InvariantCulture);
            at += written;
            span[at++] = (byte)'\n';
            output.Advance(at);
        }
    }

    private static int Put(Span<byte> span, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        return at + bytes.Length;
    }

    private static int Guid(Span<byte> span, Guid id)
    {
        System.Buffers.Text.Utf8Formatter.TryFormat(id, span, out var written, 'D');
        return written;
    }

    private static int Field(Span<byte> span, int at, ReadOnlySpan<byte> key, double value)
    {
        at = Put(span, at, key);
        value.TryFormat(span[at..], out var written, "R", CultureInfo.InvariantCulture);
        return at + written;
    }

    /// <summary>Nanoseconds since 1970 (.NET time has 100 ns ticks, so the last two digits are always 0).</summary>
    public static long UnixNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>Line protocol escaping of a tag key or value: comma, equals sign and space take a backslash.</summary>
    public static void AppendTagValue(StringBuilder sb, string value)
    {
        foreach (var c in value)
        {
            if (c is ',' or '=' or ' ') sb.Append('\\');
            sb.Append(c);
        }
    }

    private static void AppendField(StringBuilder sb, string key, double value)
    {
        sb.Append(key).Append('=');
        // "R" is the shortest text that parses back to the same double (e.g. 0.1, 1E+20); integral values get no
        // 'i' suffix, so they stay floats and never conflict with the field's type.
        sb.Append(value.ToString("R", CultureInfo.InvariantCulture));
    }
}
