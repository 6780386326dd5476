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

    /// <summary>
    /// Asked once a batch of <paramref name="device"/>'s readings is stored, before the bulk path builds them as
    /// objects: false when this observer has nothing to do with them (no alarm rule, nobody listening), so a batch no
    /// observer wants is never turned into readings at all. True when unsure.
    /// </summary>
    ValueTask<bool> WantsAsync(Guid device, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
