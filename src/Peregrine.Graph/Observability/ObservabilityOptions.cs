using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Observability;

/// <summary>
/// PEREGRINE_METRICS_SECRET (a bearer token /metrics then requires), PEREGRINE_LOG_FORMAT (text or json),
/// PEREGRINE_SLOW_QUERY_MS (requests at least this slow are logged at warning), PEREGRINE_LOG_REQUESTS
/// (false drops the per-request line), OTEL_EXPORTER_OTLP_ENDPOINT (traces are exported when set).
/// </summary>
public sealed record ObservabilityOptions(string? MetricsSecret, bool JsonLogs, int SlowQueryMs, bool LogRequests, string? OtlpEndpoint)
{
    public static ObservabilityOptions FromConfiguration(IConfiguration config)
    {
        var s = new SettingsReader(config);
        var format = s.Custom("PEREGRINE_LOG_FORMAT", null, "expected text or json",
            v => v.Trim().ToLowerInvariant() is "json" or "text" ? v.Trim().ToLowerInvariant() : throw new FormatException("unknown format"));
        var logRequests = s.Custom("PEREGRINE_LOG_REQUESTS", null, "expected true or false", v => bool.Parse(v.Trim()) ? "true" : "false");
        return new ObservabilityOptions(
            s.Custom("PEREGRINE_METRICS_SECRET", null, "any text", v => v, secret: true),
            format == "json",
            s.Int("PEREGRINE_SLOW_QUERY_MS", 500, min: 0),
            logRequests != "false",
            s.Url("OTEL_EXPORTER_OTLP_ENDPOINT", "http", "https"));
    }
}
