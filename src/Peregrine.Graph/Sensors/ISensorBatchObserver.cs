namespace Peregrine.Graph.Sensors;

/// <summary>
/// Told about every batch of readings once ingest has accepted it (written to InfluxDB or to the
/// disk spool), in write order, from every ingest path (GraphQL and the device bulk endpoint).
/// Alarm evaluation is one observer; ingest does not know what the others do, so sensors and
/// alarms stay separate rooms.
/// </summary>
public interface ISensorBatchObserver
{
    Task OnBatchAcceptedAsync(IReadOnlyList<SensorReading> batch, CancellationToken cancellationToken);
}
