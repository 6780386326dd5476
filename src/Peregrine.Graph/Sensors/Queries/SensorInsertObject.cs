namespace Peregrine.Graph.Sensors.Queries;

/// <summary>
/// One <c>sensor_readings_insert_input</c> object as the request sent it, read straight from the body's bytes
/// (see Transport.Http.SensorBatchBody): every field its type allows, nothing checked beyond the JSON types, so
/// <see cref="RegularReading"/> makes of it exactly the reading it makes of the same object as a JsonObject.
/// </summary>
public readonly record struct SensorInsertObject(string DeviceId, string Sensor, string? Time, string? ReportId,
    double? Value, double? X, double? Y, double? Z);

/// <summary>
/// The list a request gave its one variable (<paramref name="Variable"/>), read from the body because it had the
/// regular shape: objects of known fields, each given once, of the JSON types GraphQL.NET surely coerces.
/// </summary>
public sealed record SensorInsertObjects(string Variable, IReadOnlyList<SensorInsertObject> Objects);
