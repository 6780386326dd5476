using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary>
/// The GraphQL face of sensor readings (InfluxDB): <c>sensor_readings</c>, <c>sensor_series</c>,
/// <c>insert_sensor_readings</c>, the <c>sensor_readings_live</c> subscription, and the relationships that reach
/// from PostgreSQL rows into the time-series (<c>devices.latest_readings</c>, <c>devices.readings</c>,
/// <c>phenom_reports.sensor_readings</c>). A role sees them when it may read <c>devices</c> (writing when it may
/// update them), since every reading belongs to a device and is guarded by that device's rules.
/// </summary>
internal static class SensorTypes
{
    public const string Reading = "sensor_reading";
    public const string Point = "sensor_point";
    public const string InsertInput = "sensor_readings_insert_input";
    public const string MutationResponse = "sensor_readings_mutation_response";
    public const string Fn = "sensor_fn";
    public const string Fill = "sensor_fill";
    public const string Order = "sensor_order";

    public const string ReadingsField = "sensor_readings";
    public const string SeriesField = "sensor_series";
    public const string InsertField = "insert_sensor_readings";
    public const string LiveField = "sensor_readings_live";
    public const string LatestReadingsField = "latest_readings";
    public const string DeviceReadingsField = "readings";
    public const string ReportReadingsField = "sensor_readings";

    public const string DevicesTable = "devices";
    public const string ReportsTable = "phenom_reports";

    public static bool Readable(CatalogMetadata catalog) => catalog.FindTable(DevicesTable) is { Access.CanSelect: true };
    public static bool Writable(CatalogMetadata catalog) => catalog.FindTable(DevicesTable) is { Access.CanUpdate: true };

    public static IEnumerable<(FieldType Field, RootField Root)> Queries(CatalogMetadata catalog)
    {
        if (!Readable(catalog)) yield break;
        yield return (Field(ReadingsField, NonNullListOfNonNull(Reading),
                "a device's readings from InfluxDB, oldest first unless order is desc",
                new QueryArguments(
                    Arg("device_id", NonNull("uuid")),
                    Arg("sensor", Named("String"), "only this sensor's readings"),
                    Arg("from", NonNull("timestamptz"), "inclusive"),
                    Arg("to", Named("timestamptz"), "inclusive; now when absent"),
                    Arg("limit", Named("Int"), "at most 10000 (the default)"),
                    Arg("order", Named(Order)))),
            new RootField(ReadingsField, RootFieldKind.SensorReadings, DevicesTable));
        yield return (Field(SeriesField, NonNullListOfNonNull(Point),
                "one sensor's readings aggregated into time buckets (InfluxQL GROUP BY time(every)); at most 10000 buckets",
                new QueryArguments(
                    Arg("device_id", NonNull("uuid")),
                    Arg("sensor", NonNull("String")),
                    Arg("from", NonNull("timestamptz"), "inclusive"),
                    Arg("to", Named("timestamptz"), "exclusive; now when absent"),
                    Arg("every", NonNull("String"), "bucket width: a number and a unit of ms, s, m, h, d or w, e.g. 10s, 1m, 1h"),
                    Arg("fn", Named(Fn), "default mean"),
                    Arg("fill", Named(Fill), "empty buckets: default none (left out)"))),
            new RootField(SeriesField, RootFieldKind.SensorSeries, DevicesTable));
    }

    public static IEnumerable<(FieldType Field, RootField Root)> Mutations(CatalogMetadata catalog)
    {
        if (!Writable(catalog)) yield break;
        yield return (Field(InsertField, Named(MutationResponse),
                "write readings of devices you may write (yours, or this device's own token) to InfluxDB; the same device, sensor and time overwrite",
                new QueryArguments(Arg("objects", NonNullListOfNonNull(InsertInput)))),
            new RootField(InsertField, RootFieldKind.SensorReadingsInsert, DevicesTable));
    }

    public static IEnumerable<(FieldType Field, RootField Root)> Subscriptions(CatalogMetadata catalog)
    {
        if (!Readable(catalog)) yield break;
        var field = Field(LiveField, NonNullListOfNonNull(Reading),
            "every batch of readings written to the device from now on (only the sensor's, when given), as it is written",
            new QueryArguments(Arg("device_id", NonNull("uuid")), Arg("sensor", Named("String"))));
        field.StreamResolver = WebSocketOnlyStreamResolver.Instance;
        yield return (field, new RootField(LiveField, RootFieldKind.SensorReadingsLive, DevicesTable));
    }

    /// <summary>The fields a table's object type gains: readings of a device, readings recorded with a report.</summary>
    public static IEnumerable<FieldType> RelationshipFields(TableInfo table, CatalogMetadata catalog)
    {
        if (!Readable(catalog)) yield break;
        if (table.Name == DevicesTable)
        {
            yield return Field(LatestReadingsField, NonNullListOfNonNull(Reading), "per sensor, the reading with the newest time");
            yield return Field(DeviceReadingsField, NonNullListOfNonNull(Reading), "this device's readings, oldest first unless order is desc",
                new QueryArguments(
                    Arg("sensor", Named("String")),
                    Arg("from", Named("timestamptz"), "inclusive"),
                    Arg("to", Named("timestamptz"), "inclusive"),
                    Arg("limit", Named("Int"), "per device; at most 10000 (the default)"),
                    Arg("order", Named(Order))));
        }
        else if (table.Name == ReportsTable)
        {
            yield return Field(ReportReadingsField, NonNullListOfNonNull(Reading),
                "readings recorded with this report (tag report_id), of devices you may read, oldest first",
                new QueryArguments(Arg("sensor", Named("String"))));
        }
    }

    public static IEnumerable<IGraphType> Types(CatalogMetadata catalog)
    {
        if (!Readable(catalog)) yield break;
        var reading = new ObjectGraphType { Name = Reading, Description = "one reading: a scalar value, or a vector x, y, z" };
        reading.AddField(Field("time", NonNull("timestamptz")));
        reading.AddField(Field("device_id", NonNull("uuid")));
        reading.AddField(Field("sensor", NonNull("String")));
        reading.AddField(Field("value", Named("Float")));
        reading.AddField(Field("x", Named("Float")));
        reading.AddField(Field("y", Named("Float")));
        reading.AddField(Field("z", Named("Float")));
        reading.AddField(Field("report_id", Named("uuid")));
        yield return reading;

        var point = new ObjectGraphType { Name = Point, Description = "one time bucket of sensor_series: its start and the function's value" };
        point.AddField(Field("time", NonNull("timestamptz")));
        point.AddField(Field("value", Named("Float"), "null for an empty bucket filled with null_value"));
        yield return point;

        yield return Enum(Fn, "the aggregate of sensor_series", ["mean", "min", "max", "count", "first", "last", "sum"]);
        // GraphQL forbids an enum value named null: InfluxQL's fill(null) is null_value.
        yield return Enum(Fill, "how sensor_series fills empty buckets", ["none", "null_value", "previous", "linear"]);
        yield return Enum(Order, "reading order by time", ["asc", "desc"]);

        if (!Writable(catalog)) yield break;
        var input = new InputObjectGraphType { Name = InsertInput, Description = "a reading: value, or all of x, y and z" };
        input.AddField(Field("device_id", NonNull("uuid")));
        input.AddField(Field("sensor", NonNull("String")));
        input.AddField(Field("time", Named("timestamptz"), "now when absent"));
        input.AddField(Field("value", Named("Float")));
        input.AddField(Field("x", Named("Float")));
        input.AddField(Field("y", Named("Float")));
        input.AddField(Field("z", Named("Float")));
        input.AddField(Field("report_id", Named("uuid")));
        yield return input;

        var response = new ObjectGraphType { Name = MutationResponse, Description = "response of insert_sensor_readings" };
        response.AddField(Field("affected_rows", NonNull("Int"), "readings written"));
        yield return response;
    }

    private static EnumerationGraphType Enum(string name, string description, string[] values)
    {
        var e = new EnumerationGraphType { Name = name, Description = description };
        foreach (var v in values) e.Add(v, v);
        return e;
    }
}
