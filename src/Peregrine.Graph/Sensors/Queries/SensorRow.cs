using System.Buffers;
using System.Text.Json;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Sensors.Queries;

/// <summary>One reading as InfluxDB answered it; <see cref="Time"/> is InfluxDB's own RFC 3339 text (nanoseconds kept).</summary>
public sealed record SensorRow(string Time, string DeviceId, string Sensor, double? Value, double? X, double? Y, double? Z, string? ReportId)
{
    /// <summary>The rows of a series: columns first, then the series' group tags for what is not a column.</summary>
    public static IEnumerable<SensorRow> From(InfluxSeries series)
    {
        int time = series.Column("time"), value = series.Column("value"), x = series.Column("x"), y = series.Column("y"),
            z = series.Column("z"), device = series.Column("device_id"), sensor = series.Column("sensor"), report = series.Column("report_id");
        foreach (var r in series.Rows)
            yield return new SensorRow(
                r[time].GetString() ?? "",
                Text(r, device) ?? series.Tags.GetValueOrDefault("device_id") ?? "",
                Text(r, sensor) ?? series.Tags.GetValueOrDefault("sensor") ?? "",
                Number(r, value), Number(r, x), Number(r, y), Number(r, z),
                NullIfEmpty(Text(r, report) ?? series.Tags.GetValueOrDefault("report_id")));
    }

    private static string? Text(JsonElement[] row, int i) => i >= 0 && row[i].ValueKind == JsonValueKind.String ? row[i].GetString() : null;
    private static double? Number(JsonElement[] row, int i) => i >= 0 && row[i].ValueKind == JsonValueKind.Number ? row[i].GetDouble() : null;
    // A point written without the report_id tag has the empty tag value in grouped answers.
    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

/// <summary>Writes readings as the JSON of a <c>sensor_reading</c> selection, in the selection's key order.</summary>
public static class SensorJson
{
    // Sensor names are the client's text: kept as written (valid JSON), not \u-escaped as HTML would need.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteRow(Utf8JsonWriter w, SensorRow row, IReadOnlyList<SensorOutput> selection)
    {
        w.WriteStartObject();
        foreach (var (key, field) in selection)
        {
            w.WritePropertyName(key);
            switch (field)
            {
                case "time": w.WriteStringValue(row.Time); break;
                case "device_id": w.WriteStringValue(row.DeviceId); break;
                case "sensor": w.WriteStringValue(row.Sensor); break;
                case "value": Number(w, row.Value); break;
                case "x": Number(w, row.X); break;
                case "y": Number(w, row.Y); break;
                case "z": Number(w, row.Z); break;
                case "report_id": if (row.ReportId is null) w.WriteNullValue(); else w.WriteStringValue(row.ReportId); break;
                case "__typename": w.WriteStringValue(Schema.SensorTypes.Reading); break;
                default: w.WriteNullValue(); break;
            }
        }
        w.WriteEndObject();
    }

    public static string Array(IEnumerable<SensorRow> rows, IReadOnlyList<SensorOutput> selection) =>
        Write(w =>
        {
            w.WriteStartArray();
            foreach (var row in rows) WriteRow(w, row, selection);
            w.WriteEndArray();
        });

    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, Options)) write(w);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Number(Utf8JsonWriter w, double? v)
    {
        if (v is { } d && double.IsFinite(d)) w.WriteNumberValue(d);
        else w.WriteNullValue();
    }
}
