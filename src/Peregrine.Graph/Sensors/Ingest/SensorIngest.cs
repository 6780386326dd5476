namespace Peregrine.Graph.Sensors.Ingest;

// TEMPORARY (not committed): the signature the ingest branch provides; replaced by its file at merge.
public sealed class SensorIngest
{
    public Task AcceptAsync(IReadOnlyList<SensorReading> batch, CancellationToken ct) => throw new NotImplementedException();
}

public sealed class SensorStorageUnavailableException(string message) : Exception(message);
