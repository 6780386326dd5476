using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Sensors.Queries;

namespace Peregrine.Graph.Transport.Http;

/// <summary>
/// A POST body in the shape devices send sensor batches in — <c>{"query": "...", "variables": {"o": [{...}, ...]}}</c>
/// — read straight from its bytes into <see cref="SensorInsertObject"/>s. <see cref="LastValueJson"/> would copy the
/// whole document and build a JsonNode per value (thousands per batch) for the shortcut to read back: most of a
/// batch's request reading. Only a body whose meaning is beyond doubt is taken: keys among query, operationName and
/// variables, none repeated (no last-value-wins to mimic), one variable, a list of at most
/// <see cref="SensorWrites.MaxObjects"/> objects of known fields, each given once, with the JSON types
/// GraphQL.NET surely coerces (the same rules as SensorInsertShortcut.Coercible), every string valid UTF-8. Any
/// other body is null here and read by <see cref="GraphQLRequestReader"/> as always, with its errors. The
/// variables as JsonNodes stay available, built from a copy of the body only if something asks for them.
/// </summary>
public static class SensorBatchBody
{
    private const int DeviceId = 1, Sensor = 2, Time = 4, ReportId = 8, Value = 16, X = 32, Y = 64, Z = 128;

    public static GraphQLRequest? TryRead(ReadOnlyMemory<byte> body)
    {
        try { return Read(body); }
        // Not JSON, or a string that is not UTF-8: the ordinary reader gives the error.
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException) { return null; }
    }

    private static GraphQLRequest? Read(ReadOnlyMemory<byte> body)
    {
        // The defaults JsonDocument.Parse uses too: no comments, no trailing commas, depth at most 64.
        var r = new Utf8JsonReader(body.Span);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
        string? query = null, operationName = null;
        SensorInsertObjects? objects = null;
        var seenOperationName = false;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("query"u8))
            {
                if (query is not null || !r.Read() || r.TokenType != JsonTokenType.String) return null;
                query = r.GetString();
            }
            else if (r.ValueTextEquals("operationName"u8))
            {
                if (seenOperationName || !r.Read()) return null;
                seenOperationName = true;
                if (r.TokenType == JsonTokenType.String) operationName = r.GetString();
                else if (r.TokenType != JsonTokenType.Null) return null;
            }
            else if (r.ValueTextEquals("variables"u8))
            {
                if (objects is not null || (objects = Variables(ref r)) is null) return null;
            }
            else return null;
        }
        if (r.TokenType != JsonTokenType.EndObject || r.Read() || query is null || objects is null) return null;

        // Built only when something reads the variables as JsonNodes (the ordinary path, a careful read of one
        // object): from a copy, as the body's buffer goes back to its pool when the request ends.
        var copy = body.ToArray();
        return new GraphQLRequest(query, operationName, null)
        {
            SensorObjects = objects,
            ReadVariables = () => (LastValueJson.Parse(copy) as JsonObject)?["variables"] as JsonObject,
        };
    }

    // {"<name>": [ {...}, ... ]} and nothing more.
    private static SensorInsertObjects? Variables(ref Utf8JsonReader r)
    {
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
        if (!r.Read() || r.TokenType != JsonTokenType.PropertyName) return null;
        var name = r.GetString()!;
        if (!r.Read() || r.TokenType != JsonTokenType.StartArray) return null;
        var list = new List<SensorInsertObject>();
        while (r.Read() && r.TokenType == JsonTokenType.StartObject)
        {
            if (list.Count == SensorWrites.MaxObjects || Object(ref r) is not { } o) return null;
            list.Add(o);
        }
        if (r.TokenType != JsonTokenType.EndArray || !r.Read() || r.TokenType != JsonTokenType.EndObject) return null;
        return new SensorInsertObjects(name, list);
    }

    // One object, the reader on its '{'; null for a field unknown, repeated, of another type, or a required one missing.
    private static SensorInsertObject? Object(ref Utf8JsonReader r)
    {
        string? device = null, sensor = null, time = null, report = null;
        double? value = null, x = null, y = null, z = null;
        var seen = 0;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var field = r.ValueTextEquals("device_id"u8) ? DeviceId : r.ValueTextEquals("sensor"u8) ? Sensor
                : r.ValueTextEquals("time"u8) ? Time : r.ValueTextEquals("value"u8) ? Value
                : r.ValueTextEquals("x"u8) ? X : r.ValueTextEquals("y"u8) ? Y : r.ValueTextEquals("z"u8) ? Z
                : r.ValueTextEquals("report_id"u8) ? ReportId : 0;
            if (field == 0 || (seen & field) != 0 || !r.Read()) return null;
            seen |= field;
            switch (field)
            {
                case DeviceId or Sensor:
                    if (r.TokenType != JsonTokenType.String) return null;
                    if (field == DeviceId) device = r.GetString(); else sensor = r.GetString();
                    break;
                case Time or ReportId:
                    if (r.TokenType == JsonTokenType.Null) break;
                    if (r.TokenType != JsonTokenType.String) return null;
                    if (field == Time) time = r.GetString(); else report = r.GetString();
                    break;
                default:
                    if (r.TokenType == JsonTokenType.Null) break;
                    if (r.TokenType != JsonTokenType.Number || !r.TryGetDouble(out var d) || !double.IsFinite(d)) return null;
                    switch (field)
                    {
                        case Value: value = d; break;
                        case X: x = d; break;
                        case Y: y = d; break;
                        default: z = d; break;
                    }
                    break;
            }
        }
        if (r.TokenType != JsonTokenType.EndObject || device is null || sensor is null) return null;
        return new SensorInsertObject(device, sensor, time, report, value, x, y, z);
    }
}
