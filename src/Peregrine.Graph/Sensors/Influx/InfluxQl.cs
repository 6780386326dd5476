using System.Globalization;
using System.Text;

namespace Peregrine.Graph.Sensors.Influx;

/// <summary>
/// Literals of InfluxQL, the only way values reach a query: InfluxDB 1.x has no bound parameters over /query for
/// identifiers, so every string is quoted here and nowhere else. String literals use single quotes with
/// <c>\</c> and <c>'</c> escaped; identifiers double quotes with <c>\</c> and <c>"</c> escaped; times are RFC 3339
/// with nanoseconds, always UTC.
/// </summary>
public static class InfluxQl
{
    public const string Measurement = "sensor_readings";

    public static string Ident(string name) => "\"" + Escape(name, '"') + "\"";

    public static string String(string value) => "'" + Escape(value, '\'') + "'";

    public static string Time(DateTimeOffset t) =>
        "'" + t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "Z'";

    /// <summary>A time as InfluxDB writes it in answers (RFC 3339, fraction without trailing zeros), so pushed readings read the same as queried ones.</summary>
    public static string Rfc3339(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = (utc.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        return fraction.Length == 0 ? text + "Z" : text + "." + fraction + "Z";
    }

    /// <summary><c>("tag" = 'a' OR "tag" = 'b')</c>: one condition over every key, so one query serves all parents.</summary>
    public static string AnyOf(string tag, IEnumerable<Guid> values)
    {
        var sb = new StringBuilder("(");
        var first = true;
        foreach (var v in values)
        {
            if (!first) sb.Append(" OR ");
            first = false;
            sb.Append(Ident(tag)).Append(" = ").Append(String(v.ToString("D")));
        }
        return first ? "false" : sb.Append(')').ToString();
    }

    private static string Escape(string value, char quote)
    {
        if (value.IndexOf('\\') < 0 && value.IndexOf(quote) < 0 && !value.Any(char.IsControl)) return value;
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c == '\\' || c == quote) sb.Append('\\');
            // Control characters cannot appear in a valid sensor name; a newline would end the statement.
            sb.Append(char.IsControl(c) ? ' ' : c);
        }
        return sb.ToString();
    }
}
