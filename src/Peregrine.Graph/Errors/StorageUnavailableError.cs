namespace Peregrine.Graph.Errors;

/// <summary>
/// The time-series store (InfluxDB) could not answer, or sensors are not configured on this server: the request
/// did not run. HTTP answers 503, as for PostgreSQL, so clients and balancers retry.
/// </summary>
public sealed class StorageUnavailableError(string message, string path = "$") : HasuraError("storage-unavailable", message, path);
