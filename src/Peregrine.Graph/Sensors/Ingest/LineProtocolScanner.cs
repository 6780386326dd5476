using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using System.Text.Unicode;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// <c>POST /v1/sensors/write</c>'s line protocol, checked and forwarded as bytes: each line is validated where it lies
/// in the UTF-8 body and copied to the InfluxDB batch with the request's <c>device_id</c> tag spliced in, without a
/// string, a <see cref="SensorReading"/> or a re-encoding per line (decoding, parsing and encoding them again was a
/// fifth of the endpoint's CPU).
/// <para>
/// The fast path takes only the regular shape devices send: ASCII, no escapes, known tags once each, plain decimal
/// numbers (<c>-?digits[.digits]</c>, which InfluxDB and .NET read as the same double), an integer timestamp. Any
/// other line — and every bad one — goes through <see cref="LineProtocolParser.ParseOne"/> and
/// <see cref="LineProtocolEncoder"/> exactly as before, so what is accepted, what is stored and every error message
/// are the same as the parser's; the scanner only decides sooner for lines it fully understands.
/// </para>
/// </summary>
public static class LineProtocolScanner
{
    private static ReadOnlySpan<byte> Measurement => "sensor_readings"u8;
    // A longer number than this is left to the parser (which also catches an overflow to infinity).
    private const int MaxPlainNumber = 40;

    /// <summary>
    /// Every line of <paramref name="body"/> as InfluxDB line protocol for <paramref name="device"/> (nanosecond times,
    /// one '\n' after each); throws <see cref="SensorInputException"/> naming the first bad line, or
    /// <see cref="SensorApiError"/> for a body that is not UTF-8. Nothing is written anywhere by this.
    /// </summary>
    public static ScannedLines Scan(ReadOnlySpan<byte> body, Guid device, long precisionNs, DateTimeOffset now, SensorOptions? retention)
    {
        if (!Utf8.IsValid(body)) throw SensorApiError.BadRequest("the body is not UTF-8 text");
        var context = new Context(device, precisionNs, now, retention);
        // Each line grows by the spliced device tag at most (~47 bytes) or its encoder form; the buffer grows if not.
        var output = new PooledBytes(body.Length + body.Length / 2 + 256);
        try
        {
            var number = 0;
            var count = 0;
            while (!body.IsEmpty)
            {
                number++;
                var nl = body.IndexOf((byte)'\n');
                var line = nl < 0 ? body : body[..nl];
                body = nl < 0 ? [] : body[(nl + 1)..];
                var mark = output.Length;
                if (line.Length <= LineProtocolParser.MaxLineLength)
                {
                    var trimmed = line.TrimEnd((byte)'\r').TrimStart(" \t"u8);
                    if (trimmed.IsEmpty || trimmed[0] == (byte)'#') continue;
                    if (TryFast(trimmed, context, output))
                    {
                        count++;
                        continue;
                    }
                    output.Truncate(mark);
                }
                if (Slow(line, number, context, output)) count++;
            }
            return new ScannedLines(output, count, device, now);
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    private sealed class Context
    {
        public readonly Guid Device;
        public readonly long PrecisionNs;
        public readonly DateTimeOffset Now;
        public readonly SensorOptions? Retention;
        public readonly DateTimeOffset Oldest;
        public readonly long OldestTicks;
        public readonly byte[] DeviceText = new byte[36];

        public Context(Guid device, long precisionNs, DateTimeOffset now, SensorOptions? retention)
        {
            (Device, PrecisionNs, Now, Retention) = (device, precisionNs, now, retention);
            Oldest = retention?.OldestWritable(now) ?? default;
            OldestTicks = retention is null ? long.MinValue : Oldest.UtcTicks;
            var ok = Utf8Formatter.TryFormat(device, DeviceText, out _, 'D');
            Debug.Assert(ok);
        }
    }

    // The parser's answer for a line the fast path did not take: its error, or its reading in the encoder's form.
    private static bool Slow(ReadOnlySpan<byte> line, int number, Context c, PooledBytes output)
    {
        var text = Encoding.UTF8.GetString(line);
        if (LineProtocolParser.ParseOne(text, number, c.Device, c.PrecisionNs, c.Now, c.Retention, c.Oldest) is not { } reading) return false;
        var sb = new StringBuilder(160);
        LineProtocolEncoder.AppendLine(sb, reading);
        var encoded = sb.ToString();
        var free = output.FreeSpace(Encoding.UTF8.GetMaxByteCount(encoded.Length));
        output.Advance(Encoding.UTF8.GetBytes(encoded, free.Span));
        return true;
    }

    /// <summary>
    /// Appends the line in stored form when it has the regular shape and is valid; false (output partly written, the
    /// caller truncates) for anything else, valid or not, which then goes to the parser.
    /// </summary>
    private static bool TryFast(ReadOnlySpan<byte> line, Context c, PooledBytes output)
    {
        // Escapes, quotes and non-ASCII text are the parser's.
        if (line.IndexOfAny((byte)'\\', (byte)'"') >= 0 || line.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7e) >= 0) return false;
        var keyEnd = line.IndexOf((byte)' ');
        if (keyEnd < 0) return false;
        var key = line[..keyEnd];
        var rest = line[(keyEnd + 1)..].TrimStart((byte)' ');
        var fieldsEnd = rest.IndexOf((byte)' ');
        var fields = fieldsEnd < 0 ? rest : rest[..fieldsEnd];
        var stamp = fieldsEnd < 0 ? [] : rest[(fieldsEnd + 1)..].Trim((byte)' ');
        if (stamp.IndexOf((byte)' ') >= 0) return false;

        var comma = key.IndexOf((byte)',');
        if (comma < 0 || !key[..comma].SequenceEqual(Measurement)) return false;
        ReadOnlySpan<byte> sensor = default;
        var hasSensor = false;
        Guid? report = null;
        var tags = key[(comma + 1)..];
        while (true)
        {
            var next = tags.IndexOf((byte)',');
            var pair = next < 0 ? tags : tags[..next];
            var eq = pair.IndexOf((byte)'=');
            if (eq <= 0 || eq == pair.Length - 1) return false;
            var name = pair[..eq];
            var value = pair[(eq + 1)..];
            if (name.SequenceEqual("sensor"u8))
            {
                // Printable ASCII without '\' is a valid sensor name, unless it is only spaces (which cannot occur
                // unescaped) or holds '=' (which the encoder escapes).
                if (hasSensor || value.Length > LineProtocolEncoder.MaxSensorLength || value.IndexOf((byte)'=') >= 0) return false;
                sensor = value;
                hasSensor = true;
            }
            else if (name.SequenceEqual("device_id"u8))
            {
                if (!TryGuid(value, out var named) || named != c.Device) return false;
            }
            else if (name.SequenceEqual("report_id"u8))
            {
                if (report is not null || !TryGuid(value, out var r)) return false;
                report = r;
            }
            else return false;
            if (next < 0) break;
            tags = tags[(next + 1)..];
        }
        if (!hasSensor) return false;

        // value, or x, y and z: each once, plain decimals.
        var seen = 0; // bits: 1 value, 2 x, 4 y, 8 z
        var f = fields;
        for (var n = 0; ; n++)
        {
            if (n == 4) return false;
            var next = f.IndexOf((byte)',');
            var pair = next < 0 ? f : f[..next];
            var eq = pair.IndexOf((byte)'=');
            if (eq <= 0 || eq == pair.Length - 1) return false;
            var bit = pair[..eq] switch
            {
                [(byte)'x'] => 2,
                [(byte)'y'] => 4,
                [(byte)'z'] => 8,
                var other when other.SequenceEqual("value"u8) => 1,
                _ => 0,
            };
            if (bit == 0 || (seen & bit) != 0 || !IsPlainDecimal(pair[(eq + 1)..])) return false;
            seen |= bit;
            if (next < 0) break;
            f = f[(next + 1)..];
        }
        if (seen is not (1 or 14)) return false;

        long ticks;
        if (stamp.IsEmpty) ticks = c.Now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        else
        {
            if (!Utf8Parser.TryParse(stamp, out long t, out var used) || used != stamp.Length || stamp[0] == (byte)'+') return false;
            var ns = (Int128)t * c.PrecisionNs;
            if (ns < long.MinValue || ns > long.MaxValue) return false;
            // Floored to .NET's 100 ns ticks, as the parser does, so a retry stores the very same time.
            ticks = (long)(ns >= 0 ? ns / 100 : (ns - 99) / 100);
        }
        var utcTicks = DateTimeOffset.UnixEpoch.UtcTicks + ticks;
        if (utcTicks < LineProtocolEncoder.MinTime.UtcTicks || utcTicks > LineProtocolEncoder.MaxTime.UtcTicks || utcTicks < c.OldestTicks) return false;

        // sensor_readings,device_id=<device>[,report_id=<uuid>],sensor=<name> <fields> <ns>\n
        var size = Measurement.Length + 110 + sensor.Length + fields.Length + 24; // tags with two uuids, two spaces, ns, '\n'
        var span = output.FreeSpace(size).Span;
        var at = 0;
        Put(span, ref at, Measurement);
        Put(span, ref at, ",device_id="u8);
        Put(span, ref at, c.DeviceText);
        if (report is { } id)
        {
            Put(span, ref at, ",report_id="u8);
            Utf8Formatter.TryFormat(id, span[at..], out var w, 'D');
            at += w;
        }
        Put(span, ref at, ",sensor="u8);
        Put(span, ref at, sensor);
        span[at++] = (byte)' ';
        Put(span, ref at, fields);
        span[at++] = (byte)' ';
        Utf8Formatter.TryFormat(ticks * 100, span[at..], out var written);
        at += written;
        span[at++] = (byte)'\n';
        output.Advance(at);
        return true;
    }

    private static void Put(Span<byte> span, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        at += bytes.Length;
    }

    // -?digits[.digits] without leading zeros: read alike by InfluxDB and .NET, always finite at this length; anything else is the parser's.
    private static bool IsPlainDecimal(ReadOnlySpan<byte> s)
    {
        if (s.Length > MaxPlainNumber) return false;
        if (!s.IsEmpty && s[0] == (byte)'-') s = s[1..];
        var dot = s.IndexOf((byte)'.');
        var whole = dot < 0 ? s : s[..dot];
        if (whole.IsEmpty || whole.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0) return false;
        if (whole.Length > 1 && whole[0] == (byte)'0') return false; // leading zeros: the parser's, to be re-encoded
        if (dot < 0) return true;
        var fraction = s[(dot + 1)..];
        return !fraction.IsEmpty && fraction.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
    }

    // Guid.TryParse's forms (36-char D, 32-char N, braces...), read from ASCII bytes without a string.
    private static bool TryGuid(ReadOnlySpan<byte> ascii, out Guid id)
    {
        id = default;
        if (ascii.Length > 68) return false;
        Span<char> chars = stackalloc char[ascii.Length];
        for (var i = 0; i < ascii.Length; i++) chars[i] = (char)ascii[i];
        return Guid.TryParse(chars, out id);
    }
}
