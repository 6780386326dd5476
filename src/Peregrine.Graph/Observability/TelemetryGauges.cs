using System.Diagnostics.Metrics;
using Peregrine.Graph.Execution.Replicas;
using Peregrine.Graph.Execution.Results;
using Peregrine.Graph.Subscriptions;
using Peregrine.Graph.Transport.WebSockets;

namespace Peregrine.Graph.Observability;

/// <summary>
/// Gauges and counters read from what the services already count (nothing added to their hot paths):
/// open websockets, live-query groups and subscribers, change events received and results delivered, and the
/// result cache, and each read replica (up, lag, reads; a <c>replica</c> label of host:port/database). PostgreSQL pool use comes from Npgsql's own meter (<c>db_client_connections_usage</c>).
/// </summary>
public sealed class TelemetryGauges
{
    public TelemetryGauges(OpenConnections sockets, LiveQueryRegistry live, ResultCache cache, ReadReplicas replicas)
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
        if (replicas.Nodes.Count == 0) return;
        m.CreateObservableGauge("peregrine.read_replica.up", () => PerReplica(replicas, n => n.Usable ? 1L : 0L),
            description: "1 while a read replica takes reads (answering, a standby, not too far behind)");
        m.CreateObservableGauge("peregrine.read_replica.lag", () => PerReplica(replicas, n => n.LagMilliseconds), unit: "ms",
            description: "How far a read replica's replay is behind the primary, as its health loop last measured");
        m.CreateObservableCounter("peregrine.read_replica.reads", () => PerReplica(replicas, n => n.Reads),
            description: "Read batches and live-query refreshes a read replica answered");
        m.CreateObservableCounter("peregrine.read_replica.primary_reads", () => replicas.PrimaryReads,
            description: "Reads that went to the primary although replicas are configured (none usable, or a fallback)");
    }

    private static IEnumerable<Measurement<long>> PerReplica(ReadReplicas replicas, Func<ReplicaNode, long> value) =>
        replicas.Nodes.Select(n => new Measurement<long>(value(n), new KeyValuePair<string, object?>("replica", n.Name)));
}
