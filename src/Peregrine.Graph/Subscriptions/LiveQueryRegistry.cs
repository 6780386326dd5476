using System.Text;
using System.Threading.Channels;
using Npgsql;
using Microsoft.Extensions.Logging;
using Peregrine.Domain.Events;
using Peregrine.Graph.Compile;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Preparation;
using Peregrine.Graph.Execution.Replicas;
using Peregrine.Graph.Hosting;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// Every live query of this instance, grouped by (document, operation name, variables, role, session
/// variables). Receives the change events of the bus and refreshes only the groups an event may affect
/// (<see cref="LiveQueryWatch"/>); with no events nothing runs. A resync (bus reconnected, capture
/// restarted) refreshes every group once. Runs share a concurrency limit so a burst cannot take every
/// database connection.
/// </summary>
public sealed class LiveQueryRegistry : IChangeReceiver
{
    /// <summary>Most groups one multiplexed statement refreshes.</summary>
    public const int MultiplexBatch = 256;

    private readonly GraphQLExecutor executor;
    private readonly LiveQueryAnalyzer analyzer;
    private readonly SqlRunner runner;
    private readonly NpgsqlDataSource dataSource;
    private readonly ReadReplicas replicas;
    private readonly ILogger<LiveQueryRegistry> logger;
    private readonly BackgroundWork work;
    private readonly Sensors.Live.SensorLiveHub sensors;
    private readonly Channel<IReadOnlyList<LiveQueryGroup>> _queue = Channel.CreateUnbounded<IReadOnlyList<LiveQueryGroup>>(new UnboundedChannelOptions { SingleReader = true });

    public LiveQueryRegistry(GraphQLExecutor executor, LiveQueryAnalyzer analyzer, SqlRunner runner,
        NpgsqlDataSource dataSource, ReadReplicas replicas, BackgroundWork work, Sensors.Live.SensorLiveHub sensors, ILogger<LiveQueryRegistry> logger)
    {
        (this.executor, this.analyzer, this.runner, this.dataSource, this.replicas, this.work, this.sensors, this.logger) =
            (executor, analyzer, runner, dataSource, replicas, work, sensors, logger);
    }

    /// <summary>Where refreshes may read: the replicas and how far they must have replayed (<see cref="ReadFloor"/>).</summary>
    internal ReadReplicas Replicas => replicas;

    /// <summary>Runs and stops the refreshes: the owner of every task this registry starts.</summary>
    internal BackgroundWork Work => work;

    /// <summary>Multiplexed statements run (each refreshed several groups at once).</summary>
    public bool Multiplexing { get; set; } = true;
    private readonly object _gate = new();
    private readonly Dictionary<string, LiveQueryGroup> _groups = new(StringComparer.Ordinal);
    private volatile LiveQueryGroup[] _snapshot = [];
    private readonly HashSet<StreamSubscription> _streams = [];
    private volatile StreamSubscription[] _streamSnapshot = [];
    private readonly SemaphoreSlim _limiter = new(Math.Max(4, Environment.ProcessorCount * 4));

    public LiveQueryStats Stats { get; } = new();
    internal ILogger Logger => logger;

    public int GroupCount => _snapshot.Length;
    public int StreamCount => _streamSnapshot.Length;
    /// <summary>Subscribers over all live-query groups (the /metrics gauge).</summary>
    public int SubscriberCount => _snapshot.Sum(g => g.SubscriberCount);

    /// <summary>Starts delivering results of <paramref name="prepared"/> to <paramref name="subscriber"/>; dispose to stop.</summary>
    public IDisposable Subscribe(PreparedOperation prepared, ILiveQuerySubscriber subscriber)
    {
        if (StreamSubscription.IsStream(prepared)) return SubscribeStream(prepared, subscriber);
        if (Sensors.Live.SensorLiveHub.IsSensorLive(prepared)) return sensors.Subscribe(prepared, subscriber);
        var key = GroupKey(prepared.Request, prepared.Session);
        lock (_gate)
        {
            if (_groups.TryGetValue(key, out var existing))
            {
                existing.Add(subscriber);
                return new Subscription(this, existing, subscriber);
            }
        }
        // Analysis builds IR: outside the lock. Two racing creators keep the first group.
        var created = new LiveQueryGroup(key, prepared, analyzer.Analyze(prepared), this);
        LiveQueryGroup? group;
        lock (_gate)
        {
            if (!_groups.TryGetValue(key, out group))
            {
                _groups[key] = group = created;
                _snapshot = _groups.Values.ToArray();
            }
            group.Add(subscriber);
        }
        return new Subscription(this, group, subscriber);
    }

    private IDisposable SubscribeStream(PreparedOperation prepared, ILiveQuerySubscriber subscriber)
    {
        var handle = new StreamHandle(this);
        work.Run(async ct =>
        {
            var errors = await executor.ValidateAsync(prepared, ct);
            StreamSubscription? stream = null;
            if (errors.Count == 0) (stream, errors) = StreamSubscription.Create(runner, this, prepared, subscriber);
            if (stream is null) { subscriber.OnError(errors); return; }
            lock (_gate)
            {
                if (handle.Disposed) return;
                handle.Stream = stream;
                _streams.Add(stream);
                _streamSnapshot = _streams.ToArray();
            }
            stream.RequestRefresh();
        }, "stream subscription start");
        return handle;
    }

    public void OnChanges(IReadOnlyList<ChangeEvent> events)
    {
        // Sensor batches are for sensor_readings_live only: no table's live query can depend on them.
        if (events.Any(e => e.Table == Sensors.Live.SensorLiveHub.EventTable))
        {
            sensors.OnChanges(events.Where(e => e.Table == Sensors.Live.SensorLiveHub.EventTable));
            events = events.Where(e => e.Table != Sensors.Live.SensorLiveHub.EventTable).ToList();
            if (events.Count == 0) return;
        }
        if (events.Any(ChangesDeviceAccess)) sensors.RecheckAccess();
        Stats.AddEvents(events.Count);
        foreach (var stream in _streamSnapshot)
            if (events.Any(e => e.Table == stream.Table && e.Operation is ChangeOperation.Insert or ChangeOperation.Update))
                stream.RequestRefresh();
        // Queued as one batch, so that the groups of one shape meet in one multiplexed statement.
        var due = new List<LiveQueryGroup>();
        foreach (var group in _snapshot)
        {
            foreach (var e in events)
            {
                if (!group.Watch.MayAffect(e)) continue;
                if (group.RequestRefresh()) due.Add(group);
                break;
            }
        }
        if (due.Count > 0) _queue.Writer.TryWrite(due);
    }

    // What decides who may read a device's readings (the devices rules: owner, enclosure membership).
    private static bool ChangesDeviceAccess(ChangeEvent e) => e.Table switch
    {
        "enclosure_members" => true,
        "devices" or "enclosures" => e.Operation is not ChangeOperation.Insert
            && (e.Operation != ChangeOperation.Update || e.Columns.Any(c => c is "owner_id" or "enclosure_id")),
        _ => false,
    };

    // Sensor batches are only for sensor_readings_live subscribers; with none here they need not be parsed.
    public bool Ignores(string message) =>
        message.StartsWith(Sensors.Live.SensorLiveHub.MessagePrefix, StringComparison.Ordinal) && sensors.IsIdle;

    public void OnResync()
    {
        Stats.AddResync();
        sensors.ForgetAccess();
        var due = _snapshot.Where(g => g.RequestRefresh()).ToList();
        if (due.Count > 0) _queue.Writer.TryWrite(due);
        foreach (var stream in _streamSnapshot) stream.RequestRefresh();
    }

    internal void Enqueue(LiveQueryGroup group) => _queue.Writer.TryWrite([group]);

    /// <summary>
    /// The database was unreachable for this group's run: try again in a second. (When PostgreSQL comes back,
    /// the change listener's reconnect also resyncs every group; this covers a blip the listener did not see.)
    /// </summary>
    internal void RetryLater(LiveQueryGroup group) => work.Run(async ct =>
    {
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        if (group.RequestRefresh()) Enqueue(group);
    }, "live query retry");

    // Everything queued since the last pass runs together: groups sharing a shape in multiplexed
    // statements, the others (first runs, which also validate, and opaque plans) through the executor.
    // A pass does not wait for its statements: a slow one must not hold back the next event's groups
    // (the shared limiter bounds how many run at once).
    // Run by ChangeCaptureService for the life of the host.
    internal async Task RunAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            var batch = new List<LiveQueryGroup>();
            while (reader.TryRead(out var g)) batch.AddRange(g);
            try
            {
                // Taken after the batch was read, so it is past every change that queued these groups.
                var floor = await replicas.PrimaryPositionAsync(stoppingToken);
                foreach (var shape in batch.GroupBy(g => Multiplexing && g.Validated ? g.Plan.Shape : null))
                {
                    if (shape.Key is null || shape.Count() == 1)
                        foreach (var g in shape) work.Run(ct => RunAloneAsync(g, floor, ct), "live query refresh");
                    else
                        foreach (var chunk in shape.Chunk(MultiplexBatch)) work.Run(ct => RunMultiplexedAsync(chunk, floor, ct), "live query refresh");
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { throw; }
            catch (Exception e) { logger.LogError(e, "live query refresh pass failed"); }
        }
    }

    private async Task RunAloneAsync(LiveQueryGroup group, NpgsqlTypes.NpgsqlLogSequenceNumber? floor, CancellationToken ct)
    {
        GraphQLResult result;
        // The executor's reads see the floor (restored when this method returns).
        ReadFloor.Current = floor;
        await _limiter.WaitAsync(ct);
        try
        {
            Stats.AddRefresh();
            result = await executor.ExecuteAsync(group.Prepared, ExecutionMode.LiveQuery, ct);
            if (result.Data is not null) group.Validated = true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (Exception e)
        {
            logger.LogError(e, "live query run failed");
            result = GraphQLResult.Failed(new UnexpectedError("unexpected error while running the live query"), ErrorPhase.Execution);
        }
        finally { _limiter.Release(); }
        group.Complete(result);
    }

    private async Task RunMultiplexedAsync(LiveQueryGroup[] groups, NpgsqlTypes.NpgsqlLogSequenceNumber? floor, CancellationToken ct)
    {
        string[][] rows;
        await _limiter.WaitAsync(ct);
        try
        {
            Stats.AddRefresh();
            Stats.AddMultiplexed(groups.Length);
            rows = await MultiplexedOnReadServerAsync(groups.Select(g => g.Plan.Roots!).ToList(), floor, ct);
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested && PostgresErrors.IsUnavailable(e))
        {
            // PostgreSQL is away: running each alone would fail alike.
            _limiter.Release();
            var unavailable = GraphQLResult.Failed(PostgresErrors.Unavailable(e), ErrorPhase.Unavailable);
            foreach (var g in groups) g.Complete(unavailable);
            return;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // One group's bad value must not fail its neighbours: each runs alone instead.
            logger.LogWarning(e, "multiplexed refresh of {Count} live queries failed; running them one by one", groups.Length);
            _limiter.Release();
            await Task.WhenAll(groups.Select(g => RunAloneAsync(g, floor, ct)));
            return;
        }
        catch (Exception)
        {
            // Stopping: the host is shutting down, nobody waits for these results.
            _limiter.Release();
            throw;
        }
        _limiter.Release();
        var missing = new List<LiveQueryGroup>();
        for (var i = 0; i < groups.Length; i++)
        {
            if (rows[i] is not { } row) { missing.Add(groups[i]); continue; }
            var fields = groups[i].Plan.Roots!.Select((r, k) => (r.Key, (JsonText)row[k])).ToList();
            groups[i].Complete(GraphQLResult.Ok(new RawJsonData(fields)));
        }
        if (missing.Count > 0) await Task.WhenAll(missing.Select(g => RunAloneAsync(g, floor, ct)));
    }

    // A replica that has replayed the floor, else the primary; a replica that fails on the way, the primary again.
    private async Task<string[][]> MultiplexedOnReadServerAsync(IReadOnlyList<IReadOnlyList<(string Key, Sql.CompiledStatement Statement)>> roots,
        NpgsqlTypes.NpgsqlLogSequenceNumber? floor, CancellationToken ct)
    {
        if (await replicas.PickAsync(floor, ct) is { } replica)
        {
            try
            {
                var rows = await MultiplexedRefresh.RunAsync(replica.DataSource, roots, ct);
                replica.CountRead();
                return rows;
            }
            catch (NpgsqlException e) when (ReadReplicas.ShouldFallBack(e) && !ct.IsCancellationRequested) { replicas.MarkDown(replica, e); }
        }
        replicas.CountPrimaryRead();
        return await MultiplexedRefresh.RunAsync(dataSource, roots, ct);
    }

    internal void Forget(LiveQueryGroup group)
    {
        lock (_gate)
        {
            if (_groups.TryGetValue(group.Key, out var g) && g == group)
            {
                _groups.Remove(group.Key);
                _snapshot = _groups.Values.ToArray();
            }
        }
    }

    private void Unsubscribe(LiveQueryGroup group, ILiveQuerySubscriber subscriber)
    {
        lock (_gate)
        {
            group.Remove(subscriber);
            if (group.IsEmpty) Forget(group);
        }
    }

    private static string GroupKey(GraphQLRequest request, Session session)
    {
        var sb = new StringBuilder(request.Query.Length + 64);
        sb.Append(session.Role).Append('\n');
        foreach (var (k, v) in session.Variables.OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase))
            sb.Append(k.ToLowerInvariant()).Append('=').Append(v).Append('\n');
        sb.Append(request.OperationName).Append('\n');
        sb.Append(request.Variables?.ToJsonString() ?? request.VariablesJson ?? "{}").Append('\n');
        sb.Append(request.Query);
        return sb.ToString();
    }

    private sealed class StreamHandle(LiveQueryRegistry registry) : IDisposable
    {
        public bool Disposed;
        public StreamSubscription? Stream;

        public void Dispose()
        {
            lock (registry._gate)
            {
                if (Disposed) return;
                Disposed = true;
                if (Stream is null) return;
                Stream.Stop();
                registry._streams.Remove(Stream);
                registry._streamSnapshot = registry._streams.ToArray();
            }
        }
    }

    private sealed class Subscription(LiveQueryRegistry registry, LiveQueryGroup group, ILiveQuerySubscriber subscriber) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) registry.Unsubscribe(group, subscriber);
        }
    }
}
