using System.Globalization;
using System.Text.Json;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// The JSON form of a bulk write: an array of readings with the GraphQL input's names,
/// <c>[{"sensor":"temperature","time":"2026-12-05T10:00:00Z","value":21.5}, {"sensor":"accel","x":0,"y":0,"z":9.81}]</c>.
/// <c>device_id</c> may be left out; when given it must be the request's device (as in line protocol). <c>time</c> is
/// an ISO 8601 timestamp (UTC when it has no offset), now when absent. Unknown keys are refused, so a typo is a 400,
/// not a silently dropped field.
/// </summary>
public static class JsonReadingsParser
{
    public static List<SensorReading> Parse(ReadOnlyMemory<byte> json, Guid device, DateTimeOffset now, SensorOptions? retention = null)
    {
        var oldest = retention?.OldestWritable(now) ?? default;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw new SensorInputException($"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new SensorInputException("the body must be a JSON array of readings");
            var readings = new List<SensorReading>(doc.RootElement.GetArrayLength());
            var index = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                var reading = ParseReading(element, index, device, now);
                if (retention?.TooOld(reading.Time, oldest) is { } old) throw SensorInputException.Element(index, old);
                readings.Add(reading);
                index++;
            }
            return readings;
        }
    }

    private static SensorReading ParseReading(JsonElement e, int index, Guid device, DateTimeOffset now)
    {
        if (e.ValueKind != JsonValueKind.Object) throw SensorInputException.Element(index, "a reading must be an object");
        string? sensor = null;
        DateTimeOffset time = now;
        double? v = null, x = null, y = null, z = null;
        Guid? report = null;
        foreach (var p in e.EnumerateObject())
        {
            var value = p.Value;
            switch (p.Name)
            {
                case "device_id":
                    if (value.ValueKind == JsonValueKind.Null) break;
                    if (value.ValueKind != JsonValueKind.String || !Guid.TryParse(value.GetString(), out var named) || named != device)
                        throw SensorInputException.Element(index, $"device_id is not the device this request writes for ({device:D}); leave it out");
                    break;
                case "sensor":
                    sensor = value.ValueKind == JsonValueKind.String ? value.GetString() : throw SensorInputException.Element(index, "sensor must be a string");
                    if (LineProtocolEncoder.InvalidSensorName(sensor) is { } bad) throw SensorInputException.Element(index, bad);
                    break;
                case "time":
                    if (value.ValueKind == JsonValueKind.Null) break;
                    if (value.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
                        throw SensorInputException.Element(index, "time must be an ISO 8601 timestamp such as 2026-12-05T10:00:00Z");
                    break;
                case "value": v = Number(value, index, "value"); break;
                case "x": x = Number(value, index, "x"); break;
                case "y": y = Number(value, index, "y"); break;
                case "z": z = Number(value, index, "z"); break;
                case "report_id":
                    if (value.ValueKind == JsonValueKind.Null) break;
                    report = value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var r) ? r
                        : throw SensorInputException.Element(index, "report_id must be a uuid");
                    break;
                default:
                    throw SensorInputException.Element(index, $"unknown key {(p.Name.Length > 64 ? p.Name[..64] + "…" : p.Name)}; " +
                        "the keys are device_id, sensor, time, value, x, y, z and report_id");
            }
        }
        if (sensor is null) throw SensorInputException.Element(index, "missing sensor");
        var reading = new SensorReading(device, sensor, time, v, x, y, z, report);
        if (LineProtocolEncoder.Invalid(reading) is { } invalid) throw SensorInputException.Element(index, invalid);
        return reading;
    }

    private static double? Number(JsonElement value, int index, string name) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d) => d,
        _ => throw SensorInputException.Element(index, $"{name} must be a finite number"),
    };
}
