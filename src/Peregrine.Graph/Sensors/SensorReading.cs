namespace Peregrine.Graph.Sensors;

/// <summary>
/// One accepted reading, as ingest hands it on (to InfluxDB, the live bus and alarm rules).
/// A scalar reading has <see cref="Value"/>; a vector one (accelerometer, gyroscope, compass) has
/// X, Y and Z. Time is UTC; InfluxDB keys a point by device, sensor and time, so a retried write of
/// the same reading overwrites instead of duplicating.
/// </summary>
public sealed record SensorReading(
    Guid DeviceId,
    string Sensor,
    DateTimeOffset Time,
    double? Value,
    double? X,
    double? Y,
    double? Z,
    Guid? ReportId);
