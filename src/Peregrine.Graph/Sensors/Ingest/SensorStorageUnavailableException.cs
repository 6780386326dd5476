namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// Neither InfluxDB nor the disk spool can take a batch (InfluxDB away and the spool full or unusable): the write
/// is refused, nothing of it kept. HTTP answers 503 <c>{"error":"storage-unavailable"}</c>.
/// </summary>
public sealed class SensorStorageUnavailableException(string message) : Exception(message);
