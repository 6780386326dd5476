using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sensors.Devices;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Sensors.Queries;

/// <summary>
/// Runs the sensor root fields: <c>sensor_readings</c>, <c>sensor_series</c> and <c>insert_sensor_readings</c>.
/// Who may read or write a device's readings is asked of PostgreSQL first (<see cref="DeviceAccess"/>, the role's
/// own rules on <c>devices</c>); a device the session may not read answers no readings, exactly like a device that
/// does not exist, so ids cannot be probed.
/// </summary>
public sealed class SensorFields(DeviceAccess access, SensorReadQueries reads, SensorWrites writes)
{
    public async Task<JsonText> RunAsync(RootField root, List<GraphQLField> nodes, RequestScope scope, string path, CancellationToken ct)
    {
        var args = ValueReader.Arguments(nodes[0], scope);
        var selection = FieldCollector.Merge(nodes);
        return root.Kind switch
        {
            RootFieldKind.SensorReadings => await ReadingsAsync(args, selection, scope, path, ct),
            RootFieldKind.SensorSeries => await SeriesAsync(args, selection, scope, path, ct),
            RootFieldKind.SensorReadingsInsert => await writes.InsertAsync(args, selection, scope, path, ct),
            _ => throw new NotSupportedException(root.Kind.ToString()),
        };
    }

    private async Task<string> ReadingsAsync(JsonObject args, GraphQLSelectionSet? selection, RequestScope scope, string path, CancellationToken ct)
    {
        var device = DeviceId(args, path);
        var range = SensorRange.Read(args, path);
        var outputs = SensorRange.Outputs(selection, SensorTypes.Reading, scope);
        if (!await access.CanReadAsync(scope.Session, device, ct)) return "[]";
        return SensorJson.Array(await reads.ReadingsAsync(device, range, ct), outputs);
    }

    private async Task<string> SeriesAsync(JsonObject args, GraphQLSelectionSet? selection, RequestScope scope, string path, CancellationToken ct)
    {
        var device = DeviceId(args, path);
        var sensor = SensorRange.SensorName(args["sensor"], path + ".args.sensor", required: true)!;
        var from = SensorRange.Timestamp(args["from"], path + ".args.from")!.Value;
        var to = SensorRange.Timestamp(args["to"], path + ".args.to") ?? DateTimeOffset.UtcNow;
        var every = SeriesBucket.Parse((string?)args["every"], path + ".args.every");
        // Enum values are checked by validation; InfluxQL's own names, except null (a GraphQL keyword).
        var fn = (string?)args["fn"] ?? "mean";
        var fill = (string?)args["fill"] switch { null => "none", "null_value" => "null", var f => f };
        var outputs = SensorRange.Outputs(selection, SensorTypes.Point, scope);
        if (!await access.CanReadAsync(scope.Session, device, ct)) return "[]";
        var points = await reads.SeriesAsync(device, sensor, from, to, every, fn, fill, path, ct);
        return SensorJson.Write(w =>
        {
            w.WriteStartArray();
            foreach (var (time, value) in points)
            {
                w.WriteStartObject();
                foreach (var (key, field) in outputs)
                {
                    w.WritePropertyName(key);
                    switch (field)
                    {
                        case "time": w.WriteStringValue(time); break;
                        case "value": SensorJson.Number(w, value); break;
                        default: w.WriteStringValue(SensorTypes.Point); break;
                    }
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    internal static Guid DeviceId(JsonObject args, string path) =>
        Guid.TryParse((string?)args["device_id"], out var id)
            ? id
            : throw new DataExceptionError("invalid input syntax for type uuid", path + ".args.device_id");
}
