using System.Text.Json.Nodes;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Sensors.Queries;

/// <summary>
/// An <c>insert_sensor_readings</c> object read without the error paths: for the shape clients send (uuid strings,
/// a valid sensor name, an RFC 3339 UTC time like <c>2026-12-05T10:00:00.123Z</c> or none, finite numbers) it gives
/// the reading <see cref="SensorWrites"/> would make; for anything else null, and SensorWrites reads the object the
/// careful way, with its error naming the object. Building an error path per object and parsing times with the
/// culture-aware DateTimeOffset.TryParse were most of a batch's reading cost.
/// </summary>
internal static class RegularReading
{
    public static SensorReading? TryRead(JsonObject o, DateTimeOffset now, DateTimeOffset oldest)
    {
        if (o["device_id"] is not JsonValue d || !d.TryGetValue<string>(out var deviceText)) return null;
        if (o["sensor"] is not JsonValue s || !s.TryGetValue<string>(out var sensor)) return null;
        string? timeText = null, reportText = null;
        switch (o["time"])
        {
            case null: break;
            case JsonValue t when t.TryGetValue<string>(out var text): timeText = text; break;
            default: return null;
        }
        switch (o["report_id"])
        {
            case null: break;
            case JsonValue r when r.TryGetValue<string>(out var text): reportText = text; break;
            default: return null;
        }
        if (!Number(o, "value", out var value) || !Number(o, "x", out var x) || !Number(o, "y", out var y) || !Number(o, "z", out var z)) return null;
        return TryRead(new SensorInsertObject(deviceText, sensor, timeText, reportText, value, x, y, z), now, oldest);
    }

    /// <summary>The same, for an object read from the body's bytes (its JSON types already checked there).</summary>
    public static SensorReading? TryRead(in SensorInsertObject o, DateTimeOffset now, DateTimeOffset oldest)
    {
        if (!Guid.TryParse(o.DeviceId, out var device)) return null;
        var time = now;
        if (o.Time is not null && !TryUtc(o.Time, out time)) return null;
        Guid? report = null;
        if (o.ReportId is not null)
        {
            if (!Guid.TryParse(o.ReportId, out var id)) return null;
            report = id;
        }
        if (!Finite(o.Value) || !Finite(o.X) || !Finite(o.Y) || !Finite(o.Z)) return null;
        var reading = new SensorReading(device, o.Sensor, time, o.Value, o.X, o.Y, o.Z, report);
        return time < oldest || LineProtocolEncoder.Invalid(reading) is not null ? null : reading;
    }

    private static bool Finite(double? d) => d is not { } v || double.IsFinite(v);

    private static bool Number(JsonObject o, string name, out double? value)
    {
        value = null;
        if (o[name] is not { } node) return true;
        if (node is not JsonValue v || !v.TryGetValue<double>(out var d) || !double.IsFinite(d)) return false;
        value = d;
        return true;
    }

    /// <summary>
    /// Exactly <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}]Z</c>, which DateTimeOffset.TryParse reads as the same instant; every other
    /// form (offsets, lower-case letters, "now()", leap seconds) is left to it.
    /// </summary>
    internal static bool TryUtc(string s, out DateTimeOffset time)
    {
        time = default;
        if (s.Length < 20 || s.Length > 28 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[^1] != 'Z') return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        long fraction = 0;
        if (s.Length > 20)
        {
            var digits = s.Length - 21; // after "ss." and before the Z
            if (s[19] != '.' || digits < 1 || !Digits(s, 20, digits, out var f)) return false;
            fraction = f;
            for (var i = digits; i < 7; i++) fraction *= 10;
        }
        time = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(string s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = s[i];
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
