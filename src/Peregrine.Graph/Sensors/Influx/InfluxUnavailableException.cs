namespace Peregrine.Graph.Sensors.Influx;

/// <summary>InfluxDB did not take a write (not configured, unreachable, too slow, or a 5xx): the batch belongs in the spool.</summary>
public sealed class InfluxUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
