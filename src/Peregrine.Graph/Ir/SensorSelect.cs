using System.Globalization;
using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>Which readings a relationship from a PostgreSQL row into InfluxDB reaches.</summary>
public enum SensorRelationshipKind { LatestReadings, DeviceReadings, ReportReadings }

/// <summary>
/// A field of a table row answered from InfluxDB (<c>devices.latest_readings</c>, <c>devices.readings</c>,
/// <c>phenom_reports.sensor_readings</c>). PostgreSQL writes a marker with the row's <see cref="Key"/> in its place;
/// after the statement, one InfluxQL query per field (over every marked row, never per row) fills the markers.
/// <see cref="Path"/> names the field in the request and identifies its markers.
/// </summary>
public sealed record SensorRelationshipField(string Alias, SensorRelationshipKind Kind, ColumnInfo Key, SensorRange Range,
    IReadOnlyList<SensorOutput> Selection, string Path) : SelectField(Alias)
{
    /// <summary>The marker's member name: a response key can never start with '$', so no real object has it.</summary>
    public const string Marker = "$sensors";
}

/// <summary>One selected field of a <c>sensor_reading</c> (or <c>sensor_point</c>): response key and field name.</summary>
public sealed record SensorOutput(string Key, string Field);

/// <summary>The time range, sensor, limit and order of a readings request, checked.</summary>
public sealed record SensorRange(string? Sensor, DateTimeOffset? From, DateTimeOffset? To, int Limit, bool Descending)
{
    /// <summary>Most readings one field returns (per device for a relationship).</summary>
    public const int MaxLimit = 10_000;

    public static SensorRange Read(JsonObject args, string path) => new(
        SensorName(args["sensor"], path + ".args.sensor", required: false),
        Timestamp(args["from"], path + ".args.from"),
        Timestamp(args["to"], path + ".args.to"),
        LimitOf(args["limit"], path + ".args.limit"),
        (string?)args["order"] == "desc");

    public static string? SensorName(JsonNode? node, string path, bool required)
    {
        var s = node is JsonValue v ? v.GetValue<string>() : null;
        if (s is null)
            return required ? throw new ValidationFailedError("missing required field 'sensor'", path) : null;
        // The rules of what ingest stores, so any name that can be written can be read, and nothing else.
        return Sensors.Influx.LineProtocolEncoder.InvalidSensorName(s) is { } bad ? throw new DataExceptionError(bad, path) : s;
    }

    public static DateTimeOffset? Timestamp(JsonNode? node, string path)
    {
        if (node is not JsonValue v) return null;
        var text = v.GetValue<string>();
        if (text.Equals("now()", StringComparison.OrdinalIgnoreCase)) return DateTimeOffset.UtcNow;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw new DataExceptionError($"invalid input syntax for type timestamp with time zone: \"{text}\"", path);
    }

    private static int LimitOf(JsonNode? node, string path)
    {
        if (node is not JsonValue v) return MaxLimit;
        var n = v.GetValue<long>();
        if (n < 0) throw new ValidationFailedError("unexpected negative value for \"limit\"", path);
        if (n > MaxLimit) throw new ValidationFailedError($"\"limit\" is at most {MaxLimit} for sensor readings", path);
        return (int)n;
    }

    /// <summary>The selected fields of a reading type, fragments and directives applied.</summary>
    public static List<SensorOutput> Outputs(GraphQLSelectionSet? selection, string typeName, RequestScope scope) =>
        FieldCollector.Collect(selection, typeName, scope).Select(f => new SensorOutput(f.Key, f.Fields[0].Name.StringValue)).ToList();
}

/// <summary>Finds the InfluxDB-backed fields anywhere in a root field's IR (through relationships and aggregate nodes).</summary>
public static class SensorRelationships
{
    public static IReadOnlyList<SensorRelationshipField> In(object ir)
    {
        var found = new List<SensorRelationshipField>();
        switch (ir)
        {
            case SelectIr s: Walk(s.Fields, found); break;
            case AggregateSelectIr a: Walk(a, found); break;
        }
        return found;
    }

    private static void Walk(IReadOnlyList<SelectField> fields, List<SensorRelationshipField> found)
    {
        foreach (var f in fields)
            switch (f)
            {
                case SensorRelationshipField r: found.Add(r); break;
                case ObjectRelationshipField o: Walk(o.Select.Fields, found); break;
                case ArrayRelationshipField a: Walk(a.Select.Fields, found); break;
                case ArrayAggregateField g: Walk(g.Select, found); break;
            }
    }

    private static void Walk(AggregateSelectIr a, List<SensorRelationshipField> found)
    {
        foreach (var n in a.Fields.OfType<AggregateNodesField>()) Walk(n.Fields, found);
    }
}
