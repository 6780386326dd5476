using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;
using Peregrine.Domain.Events;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Preparation;
using Peregrine.Graph.Hosting;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sensors.Devices;
using Peregrine.Graph.Sensors.Queries;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Subscriptions;

namespace Peregrine.Graph.Sensors.Live;

/// <summary>
/// The <c>sensor_readings_live(device_id, sensor)</c> subscriptions of this instance. A subscription is checked when
/// it starts (validation, then "may this session read the device", in PostgreSQL), again whenever who may read a
/// device changes (<see cref="RecheckAccess"/>), and answers an empty list at once; from then on every batch the bus brings for its device (see <see cref="SensorLivePublisher"/>) is pushed as
/// it arrives: no polling, no query per batch. Subscribers with the same selection and sensor share one rendering
/// of each batch. A device the session may not read gets the empty list and nothing after, as one that does not exist.
/// </summary>
public sealed class SensorLiveHub(GraphQLExecutor executor, DeviceAccess access, SensorLiveInterest interest, BackgroundWork work, ILogger<SensorLiveHub> logger)
{
    /// <summary>The table name sensor batches carry on the change bus; no PostgreSQL table has it.</summary>
    public const string EventTable = "sensor_readings";

    private readonly object _gate = new();
    // Every started subscription; _byDevice holds those whose session may read their device right now.
    private readonly HashSet<Listener> _all = [];
    private readonly Dictionary<Guid, List<Listener>> _byDevice = [];
    private int _recheckState; // 0 idle, 1 running, 2 running and asked again

    public int SubscriberCount { get { lock (_gate) return _byDevice.Values.Sum(l => l.Count); } }

    /// <summary>How every sensor batch message on the bus starts (<see cref="SensorLivePublisher"/> writes "t" first).</summary>
    public const string MessagePrefix = "{\"t\":\"" + EventTable + "\"";

    /// <summary>No subscriber on this instance: a sensor batch from the bus has nobody to go to.</summary>
    public bool IsIdle { get { lock (_gate) return _byDevice.Count == 0; } }

    /// <summary>True when the subscription's root field is sensor_readings_live (then <see cref="Subscribe"/> serves it).</summary>
    public static bool IsSensorLive(PreparedOperation prepared) =>
        prepared.Type == OperationType.Subscription
        && prepared.RootFieldNames.Any(name => prepared.Schema.FindSubscriptionRoot(name) is { Kind: RootFieldKind.SensorReadingsLive });

    public IDisposable Subscribe(PreparedOperation prepared, ILiveQuerySubscriber subscriber)
    {
        var session = prepared.Session;
        var handle = new Handle(this);
        work.Run(async ct =>
        {
            var (listener, errors) = await CreateAsync(prepared, subscriber, ct);
            if (listener is null) { subscriber.OnError(errors); return; }
            var readable = await access.CanReadAsync(session, listener.Device, ct);
            // Recorded before the acknowledgement below: a write that starts after it will see a listener and publish.
            listener.Member = await interest.AddAsync(listener.Device, ct);
            var ended = false;
            lock (_gate)
            {
                if (handle.Disposed) ended = true;
                else
                {
                    handle.Listener = listener;
                    _all.Add(listener);
                    if (readable) Deliverable(listener, true);
                }
            }
            if (ended)
            {
                interest.Remove(listener.Member);
                return;
            }
            subscriber.OnNext(Payload(listener.Key, "[]"));
        }, "sensor live subscription start");
        return handle;
    }

    private async Task<(Listener?, IReadOnlyList<HasuraError>)> CreateAsync(PreparedOperation prepared, ILiveQuerySubscriber subscriber, CancellationToken ct)
    {
        var session = prepared.Session;
        try
        {
            var errors = await executor.ValidateAsync(prepared, ct);
            if (errors.Count > 0) return (null, errors);
            var operation = prepared.Operation!;
            var scope = new RequestScope(prepared.Document, operation, prepared.Request.Variables, session);
            var fields = FieldCollector.Collect(operation.SelectionSet, TypeNames.SubscriptionRoot, scope);
            if (fields.Count != 1)
                throw new ValidationFailedError("a sensor_readings_live subscription must have exactly one root field");
            var (key, nodes) = fields[0];
            var path = $"$.selectionSet.{key}";
            var args = ValueReader.Arguments(nodes[0], scope);
            var device = SensorFields.DeviceId(args, path);
            var sensor = SensorRange.SensorName(args["sensor"], path + ".args.sensor", required: false);
            var outputs = SensorRange.Outputs(FieldCollector.Merge(nodes), SensorTypes.Reading, scope);
            return (new Listener(device, sensor, key, outputs, subscriber, session), []);
        }
        catch (HasuraError e) { return (null, [e]); }
    }

    /// <summary>Sensor batches from the bus (any instance's). Renders and hands off; never blocks.</summary>
    public void OnChanges(IEnumerable<ChangeEvent> events)
    {
        foreach (var e in events)
        {
            if (!Guid.TryParse((string?)e.PrimaryKey?["device_id"], out var device) || e.Row?["readings"] is not JsonArray readings) continue;
            Listener[] listeners;
            lock (_gate)
            {
                if (!_byDevice.TryGetValue(device, out var list)) continue;
                listeners = list.ToArray();
            }
            try { Deliver(device, readings, listeners); }
            catch (Exception ex) { logger.LogWarning(ex, "a sensor batch for the live subscriptions could not be read"); }
        }
    }

    private static void Deliver(Guid device, JsonArray readings, Listener[] listeners)
    {
        var rows = readings.OfType<JsonArray>().Select(r => new SensorRow(
            (string?)r[0] ?? "", device.ToString("D"), (string?)r[1] ?? "",
            (double?)r[2], (double?)r[3], (double?)r[4], (double?)r[5], (string?)r[6])).ToList();
        var rendered = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in listeners)
        {
            if (!rendered.TryGetValue(l.Signature, out var payload))
            {
                var mine = l.Sensor is null ? rows : rows.Where(r => r.Sensor == l.Sensor).ToList();
                rendered[l.Signature] = payload = mine.Count == 0 ? "" : Payload(l.Key, SensorJson.Array(mine, l.Outputs));
            }
            if (payload.Length > 0) l.Subscriber.OnNext(payload);
        }
    }

    private static string Payload(string key, string array) =>
        "{\"data\":{" + System.Text.Json.JsonSerializer.Serialize(key) + ":" + array + "}}";

    private void Remove(Listener listener)
    {
        lock (_gate)
        {
            _all.Remove(listener);
            Deliverable(listener, false);
        }
        if (listener.Member is { } member) interest.Remove(member);
    }

    // Under _gate: whether the listener is among its device's recipients.
    private void Deliverable(Listener listener, bool yes)
    {
        var has = _byDevice.TryGetValue(listener.Device, out var list);
        if (yes)
        {
            if (!has) _byDevice[listener.Device] = list = [];
            if (!list!.Contains(listener)) list.Add(listener);
        }
        else if (has && list!.Remove(listener) && list.Count == 0) _byDevice.Remove(listener.Device);
    }

    /// <summary>
    /// Who may read a device changed (a membership, a device's owner or enclosure, an enclosure's owner): every
    /// subscription's access is asked again, one query per session and device, so a viewer removed from an enclosure
    /// stops receiving its readings and one added starts. Calls while a re-check runs fold into one more run.
    /// </summary>
    public void RecheckAccess()
    {
        // Remembered grants (the write endpoint's too) go first, before any re-check could read them.
        access.Invalidate();
        if (Interlocked.Exchange(ref _recheckState, 2) != 0) return;
        work.Run(async ct =>
        {
            // A failed pass (the database away) ends the run; the next change asks again.
            try { await RecheckPassesAsync(ct); }
            catch
            {
                Volatile.Write(ref _recheckState, 0);
                throw;
            }
        }, "sensor live access re-check");
    }

    /// <summary>Bus events may have been missed: no device grant is taken from memory until asked again.</summary>
    public void ForgetAccess() => access.Invalidate();

    private async Task RecheckPassesAsync(CancellationToken ct)
    {
        do
        {
            Volatile.Write(ref _recheckState, 1);
            Listener[] listeners;
            lock (_gate) listeners = _all.ToArray();
            foreach (var group in listeners.GroupBy(l => (l.Session, l.Device)))
            {
                var readable = await access.CanReadAsync(group.Key.Session, group.Key.Device, ct);
                lock (_gate)
                    foreach (var l in group)
                        if (_all.Contains(l)) Deliverable(l, readable);
            }
        } while (Interlocked.CompareExchange(ref _recheckState, 0, 1) != 1);
    }

    private sealed record Listener(Guid Device, string? Sensor, string Key, IReadOnlyList<SensorOutput> Outputs, ILiveQuerySubscriber Subscriber, Session Session)
    {
        public string Signature { get; } = Key + "\n" + Sensor + "\n" + string.Join(",", Outputs.Select(o => o.Key + ":" + o.Field));
        /// <summary>Its entry in <see cref="SensorLiveInterest"/>.</summary>
        public string? Member { get; set; }
    }

    private sealed class Handle(SensorLiveHub hub) : IDisposable
    {
        public bool Disposed;
        public Listener? Listener;

        public void Dispose()
        {
            lock (hub._gate)
            {
                if (Disposed) return;
                Disposed = true;
            }
            if (Listener is { } l) hub.Remove(l);
        }
    }
}
