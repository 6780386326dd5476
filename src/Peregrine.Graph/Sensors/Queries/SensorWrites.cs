using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sensors.Devices;
using Peregrine.Graph.Sensors.Ingest;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Sensors.Queries;

/// <summary>
/// <c>insert_sensor_readings</c>: checks every object, asks PostgreSQL once whether the session may write every
/// device named (all or nothing, as an insert's check constraint), then hands the batch to ingest, which answers
/// once it is in InfluxDB or in the disk spool. Readings without a time get the request's time, as PostgreSQL's
/// now() gives every row of one statement the same time.
/// </summary>
public sealed class SensorWrites(DeviceAccess access, SensorIngest ingest, SensorOptions options)
{
    /// <summary>Most readings one mutation writes; devices with more use /v1/sensors/write.</summary>
    public const int MaxObjects = 10_000;

    public Task<string> InsertAsync(JsonObject args, GraphQLSelectionSet? selection, RequestScope scope, string path, CancellationToken ct) =>
        InsertObjectsAsync(args["objects"] as JsonArray ?? [], selection, scope, path, ct);

    /// <summary>The same, from the <c>objects</c> list itself (the request's own JSON on the shortcut, see SensorInsertShortcut).</summary>
    public Task<string> InsertObjectsAsync(JsonArray objects, GraphQLSelectionSet? selection, RequestScope scope, string path, CancellationToken ct) =>
        InsertAsync(objects.Count, (i, now, oldest) => objects[i] is JsonObject o ? RegularReading.TryRead(o, now, oldest) : null,
            i => objects[i] as JsonObject ?? [], selection, scope, path, ct);

    /// <summary>
    /// The same, from objects read straight from the body (see SensorInsertShortcut); an object that is not a regular
    /// reading is read the careful way from <paramref name="asSent"/> (the request's JSON, built only then), so its
    /// error is the one the JSON path gives.
    /// </summary>
    public Task<string> InsertObjectsAsync(IReadOnlyList<SensorInsertObject> objects, Func<JsonArray> asSent, GraphQLSelectionSet? selection,
        RequestScope scope, string path, CancellationToken ct) =>
        InsertAsync(objects.Count, (i, now, oldest) => RegularReading.TryRead(objects[i], now, oldest),
            i => asSent()[i] as JsonObject ?? [], selection, scope, path, ct);

    private async Task<string> InsertAsync(int count, Func<int, DateTimeOffset, DateTimeOffset, SensorReading?> regular, Func<int, JsonObject> careful,
        GraphQLSelectionSet? selection, RequestScope scope, string path, CancellationToken ct)
    {
        if (count > MaxObjects)
            throw new ValidationFailedError($"insert_sensor_readings takes at most {MaxObjects} objects; send more with POST /v1/sensors/write", path + ".args.objects");
        var now = DateTimeOffset.UtcNow;
        var batch = new List<SensorReading>(count);
        var oldest = options.OldestWritable(now);
        for (var i = 0; i < count; i++)
        {
            if (regular(i, now, oldest) is { } quick)
            {
                batch.Add(quick);
                continue;
            }
            var at = $"{path}.args.objects[{i}]";
            var reading = Reading(careful(i), now, at);
            if (options.TooOld(reading.Time, oldest) is { } old) throw new DataExceptionError(old, at + ".time");
            batch.Add(reading);
        }

        var devices = batch.Select(r => r.DeviceId).Distinct().ToList();
        var writable = await access.WritableAsync(scope.Session, devices, ct);
        if (devices.Any(d => !writable.Contains(d)))
            throw new PermissionError("check constraint of an insert permission has failed: a device does not exist or its readings are not yours to write", path);
        try
        {
            if (batch.Count > 0) await ingest.AcceptAsync(batch, ct);
        }
        catch (SensorStorageUnavailableException e) { throw new StorageUnavailableError(e.Message, path); }

        var outputs = FieldCollector.Collect(selection, SensorTypes.MutationResponse, scope);
        return SensorJson.Write(w =>
        {
            w.WriteStartObject();
            foreach (var (key, fields) in outputs)
            {
                w.WritePropertyName(key);
                if (fields[0].Name.StringValue == "affected_rows") w.WriteNumberValue(batch.Count);
                else w.WriteStringValue(SensorTypes.MutationResponse);
            }
            w.WriteEndObject();
        });
    }

    private static SensorReading Reading(JsonObject o, DateTimeOffset now, string path)
    {
        var device = SensorFields.DeviceId(o, path);
        var sensor = SensorRange.SensorName(o["sensor"], path + ".sensor", required: true)!;
        var time = SensorRange.Timestamp(o["time"], path + ".time") ?? now;
        double? value = Number(o, "value", path), x = Number(o, "x", path), y = Number(o, "y", path), z = Number(o, "z", path);
        var vector = x is not null || y is not null || z is not null;
        if (vector && (x is null || y is null || z is null))
            throw new DataExceptionError("a vector reading needs all of x, y and z", path);
        if (!vector && value is null)
            throw new DataExceptionError("a reading needs value, or all of x, y and z", path);
        Guid? report = null;
        if (o["report_id"] is JsonValue r)
            report = Guid.TryParse((string?)r, out var id) ? id : throw new DataExceptionError("invalid input syntax for type uuid", path + ".report_id");
        var reading = new SensorReading(device, sensor, time, value, x, y, z, report);
        return Influx.LineProtocolEncoder.Invalid(reading) is { } bad ? throw new DataExceptionError(bad, path) : reading;
    }

    // InfluxDB stores finite floats only: NaN and infinities cannot be written, so they are refused here.
    private static double? Number(JsonObject o, string name, string path)
    {
        if (o[name] is not JsonValue v) return null;
        // An integer literal (`value: 1`) arrives as a whole-number node, not a double: read any JSON number.
        double d = v.TryGetValue<double>(out var f) ? f
            : v.TryGetValue<long>(out var l) ? l
            : v.TryGetValue<int>(out var i) ? i
            : v.TryGetValue<decimal>(out var m) ? (double)m
            : v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : throw new DataExceptionError($"\"{name}\" must be a number", path + "." + name);
        return double.IsFinite(d) ? d : throw new DataExceptionError($"\"{name}\" must be a finite number", path + "." + name);
    }
}
