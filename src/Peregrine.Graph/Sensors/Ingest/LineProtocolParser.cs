using System.Globalization;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// What devices post: InfluxDB 1.x line protocol, restricted to Peregrine's one measurement,
/// <code>sensor_readings[,device_id=&lt;uuid&gt;],sensor=&lt;name&gt;[,report_id=&lt;uuid&gt;] value=&lt;n&gt;|x=&lt;n&gt;,y=&lt;n&gt;,z=&lt;n&gt; [timestamp]</code>
/// Every reading belongs to the device the request writes for: a line without <c>device_id</c> gets it, a line
/// naming another device is refused (400) rather than silently rewritten, since it means a misconfigured device.
/// Anything else InfluxDB would take (other measurements, tags or fields, strings, booleans) is refused too, so a
/// device cannot grow series cardinality or change a field's type. Integers (<c>21i</c>) become floats.
/// Bounded: lines of at most <see cref="MaxLineLength"/> characters, at most four fields; the body's size is
/// bounded by the endpoint. The whole body is parsed before anything is written.
/// </summary>
public static class LineProtocolParser
{
    public const int MaxLineLength = 64 * 1024;
    private const int MaxFields = 4;

    /// <summary>Nanoseconds per unit of the <c>precision</c> query parameter (as InfluxDB's <c>/write</c>).</summary>
    public static long? PrecisionMultiplier(string? precision) => precision switch
    {
        null or "" or "ns" or "n" => 1,
        "us" or "u" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        _ => null,
    };

    /// <summary>Parses every line; throws <see cref="SensorInputException"/> naming the first bad one.</summary>
    public static List<SensorReading> Parse(ReadOnlySpan<char> text, Guid device, long precisionNs, DateTimeOffset now,
        SensorOptions? retention = null)
    {
        var oldest = retention?.OldestWritable(now) ?? default;
        var readings = new List<SensorReading>();
        var number = 0;
        while (!text.IsEmpty)
        {
            number++;
            var nl = text.IndexOf('\n');
            var line = nl < 0 ? text : text[..nl];
            text = nl < 0 ? [] : text[(nl + 1)..];
            if (ParseOne(line, number, device, precisionNs, now, retention, oldest) is { } reading) readings.Add(reading);
        }
        return readings;
    }

    /// <summary>
    /// One line as it came (without its '\n'): null for a blank line or a comment, else its reading; throws
    /// <see cref="SensorInputException"/> naming line <paramref name="number"/>. <paramref name="oldest"/> is
    /// <c>retention.OldestWritable(now)</c>, computed once per body.
    /// </summary>
    public static SensorReading? ParseOne(ReadOnlySpan<char> line, int number, Guid device, long precisionNs, DateTimeOffset now,
        SensorOptions? retention, DateTimeOffset oldest)
    {
        if (line.Length > MaxLineLength) throw SensorInputException.Line(number, $"longer than {MaxLineLength} characters");
        line = line.TrimEnd('\r').TrimStart(" \t");
        if (line.IsEmpty || line[0] == '#') return null; // blank lines and comments, as InfluxDB skips them
        var reading = ParseLine(line, number, device, precisionNs, now);
        if (retention?.TooOld(reading.Time, oldest) is { } old) throw SensorInputException.Line(number, old);
        return reading;
    }

    private static SensorReading ParseLine(ReadOnlySpan<char> line, int number, Guid device, long precisionNs, DateTimeOffset now)
    {
        var keyEnd = IndexOfUnescaped(line, ' ');
        if (keyEnd < 0) throw SensorInputException.Line(number, "missing fields (expected: sensor_readings,sensor=<name> value=<number> [timestamp])");
        var key = line[..keyEnd];
        var rest = line[(keyEnd + 1)..].TrimStart(' ');
        if (rest.Contains('"')) throw SensorInputException.Line(number, "string field values are not accepted; fields are numbers");
        var fieldsEnd = IndexOfUnescaped(rest, ' ');
        var fields = fieldsEnd < 0 ? rest : rest[..fieldsEnd];
        var stamp = fieldsEnd < 0 ? [] : rest[(fieldsEnd + 1)..].Trim(' ');
        if (stamp.Contains(' ')) throw SensorInputException.Line(number, "unexpected text after the timestamp");

        // measurement[,tag=value...]
        var comma = IndexOfUnescaped(key, ',');
        var measurement = Unescape(comma < 0 ? key : key[..comma]);
        if (measurement != LineProtocolEncoder.Measurement)
            throw SensorInputException.Line(number, $"measurement must be {LineProtocolEncoder.Measurement}");
        string? sensor = null;
        Guid? report = null;
        var tags = comma < 0 ? [] : key[(comma + 1)..];
        while (!tags.IsEmpty)
        {
            var next = IndexOfUnescaped(tags, ',');
            var pair = next < 0 ? tags : tags[..next];
            tags = next < 0 ? [] : tags[(next + 1)..];
            var eq = IndexOfUnescaped(pair, '=');
            if (eq <= 0 || eq == pair.Length - 1) throw SensorInputException.Line(number, "a tag must be key=value");
            var name = Unescape(pair[..eq]);
            var value = Unescape(pair[(eq + 1)..]);
            switch (name)
            {
                case "sensor" when sensor is null:
                    if (LineProtocolEncoder.InvalidSensorName(value) is { } bad) throw SensorInputException.Line(number, bad);
                    sensor = value;
                    break;
                case "device_id":
                    if (!Guid.TryParse(value, out var named) || named != device)
                        throw SensorInputException.Line(number, $"device_id {Clip(value)} is not the device this request writes for ({device:D}); leave the tag out");
                    break;
                case "report_id" when report is null:
                    report = Guid.TryParse(value, out var r) ? r : throw SensorInputException.Line(number, "report_id must be a uuid");
                    break;
                case "sensor" or "report_id":
                    throw SensorInputException.Line(number, $"tag {name} appears twice");
                default:
                    throw SensorInputException.Line(number, $"unknown tag {Clip(name)}; the tags are sensor, device_id and report_id");
            }
        }
        if (sensor is null) throw SensorInputException.Line(number, "missing the sensor tag");

        double? v = null, x = null, y = null, z = null;
        var count = 0;
        while (!fields.IsEmpty)
        {
            if (++count > MaxFields) throw SensorInputException.Line(number, "too many fields; a reading has value, or x, y and z");
            var next = IndexOfUnescaped(fields, ',');
            var pair = next < 0 ? fields : fields[..next];
            fields = next < 0 ? [] : fields[(next + 1)..];
            var eq = IndexOfUnescaped(pair, '=');
            if (eq <= 0 || eq == pair.Length - 1) throw SensorInputException.Line(number, "a field must be key=number");
            var name = Unescape(pair[..eq]);
            var number_ = ParseNumber(pair[(eq + 1)..]) ?? throw SensorInputException.Line(number, $"field {Clip(name)} is not a finite number");
            ref var slot = ref v;
            switch (name)
            {
                case "value": slot = ref v; break;
                case "x": slot = ref x; break;
                case "y": slot = ref y; break;
                case "z": slot = ref z; break;
                default: throw SensorInputException.Line(number, $"unknown field {Clip(name)}; the fields are value, or x, y and z");
            }
            if (slot is not null) throw SensorInputException.Line(number, $"field {name} appears twice");
            slot = number_;
        }

        var time = now;
        if (!stamp.IsEmpty)
        {
            if (!long.TryParse(stamp, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t))
                throw SensorInputException.Line(number, "the timestamp must be an integer");
            var ns = (Int128)t * precisionNs;
            if (ns < long.MinValue || ns > long.MaxValue) throw SensorInputException.Line(number, "the timestamp is out of range");
            // Floor to .NET's 100 ns ticks (the last two digits of a nanosecond stamp are dropped, alike for every retry).
            var ticks = (long)(ns >= 0 ? ns / 100 : (ns - 99) / 100);
            time = new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + ticks, TimeSpan.Zero);
        }
        var reading = new SensorReading(device, sensor, time, v, x, y, z, report);
        if (LineProtocolEncoder.Invalid(reading) is { } invalid) throw SensorInputException.Line(number, invalid);
        return reading;
    }

    // InfluxDB 1.x numbers: floats (1, -1.5, 1e3) and integers with an i (or 2.x's u) suffix.
    private static double? ParseNumber(ReadOnlySpan<char> text)
    {
        if (text.Length > 1 && text[^1] is 'i' or 'u')
        {
            return long.TryParse(text[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
        }
        // Letters other than an exponent are refused up front: .NET would read "NaN" and "Infinity", InfluxDB would not.
        foreach (var c in text)
            if (!(char.IsAsciiDigit(c) || c is '.' or '-' or '+' or 'e' or 'E')) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;
    }

    /// <summary>The index of the first <paramref name="c"/> not preceded by a backslash escape, or -1.</summary>
    private static int IndexOfUnescaped(ReadOnlySpan<char> s, char c)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == c) return i;
        }
        return -1;
    }

    // Only the escapes line protocol defines; any other backslash is literal (and then refused in sensor names).
    private static string Unescape(ReadOnlySpan<char> s)
    {
        if (!s.Contains('\\')) return s.ToString();
        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] is ',' or '=' or ' ' or '"') { sb.Append(s[++i]); continue; }
            sb.Append(s[i]);
        }
        return sb.ToString();
    }

    private static string Clip(string s) => s.Length > 64 ? s[..64] + "…" : s;
}
