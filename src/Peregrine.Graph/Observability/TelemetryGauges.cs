using System.Diagnostics.Metrics;
using Peregrine.Graph.Execution.Results;
using Peregrine.Graph.Subscriptions;
using Peregrine.Graph.Transport.WebSockets;

namespace Peregrine.Graph.Observability;

/// <summary>
/// Gauges and counters read from what the services already count (nothing added to their hot paths):
/// open websockets, live-query groups and subscribers, change events received and results delivered, and the
/// result cache. PostgreSQL pool use comes from Npgsql's own meter (<c>db_client_connections_usage</c>).
/// </summary>
public sealed class TelemetryGauges
{
    public TelemetryGauges(OpenConnections sockets, LiveQueryRegistry live, ResultCache cache)
    {
        var m = PeregrineTelemetry.Meter;
        m.CreateObservableUpDownCounter("peregrine.websocket.connections", () => sockets.Count, description: "Open websocket connections");
        m.CreateObservableUpDownCounter("peregrine.live_query.groups", () => live.GroupCount, description: "Live-query groups (identical subscriptions share one)");
        m.CreateObservableUpDownCounter("peregrine.live_query.subscribers", () => live.SubscriberCount, description: "Live-query subscribers over all groups");
        m.CreateObservableUpDownCounter("peregrine.streams", () => live.StreamCount, description: "Streaming subscriptions");
        m.CreateObservableCounter("peregrine.events.received", () => live.Stats.Events, description: "Change events received from the bus");
        m.CreateObservableCounter("peregrine.events.delivered", () => live.Stats.Pushes, description: "Live-query results sent to subscribers");
        m.CreateObservableCounter("peregrine.result_cache.hits", () => cache.Hits, description: "Statements answered from the result cache");
        m.CreateObservableCounter("peregrine.result_cache.misses", () => cache.Misses, description: "Statements looked up in the result cache that had to run");
        m.CreateObservableUpDownCounter("peregrine.result_cache.size", () => cache.Bytes, unit: "By", description: "Bytes the result cache holds");
    }
}
