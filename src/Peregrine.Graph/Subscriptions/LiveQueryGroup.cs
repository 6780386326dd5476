using Microsoft.Extensions.Logging;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Preparation;
using Peregrine.Graph.Ir;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// The subscribers of one (document, variables, role and session) share one run and one result. A refresh
/// asked for while a run is in flight is remembered (<c>_dirty</c>) and runs once more after it, so
/// however many events arrive, a group runs at most once at a time and never misses the last write.
/// Results are compared as JSON text and pushed only when they differ from the last one pushed. The
/// registry does the running (<see cref="LiveQueryRegistry"/>: alone or multiplexed with its shape).
/// </summary>
internal sealed class LiveQueryGroup(
    string key, PreparedOperation prepared, LiveQueryPlan plan, LiveQueryRegistry registry)
{
    private readonly object _lock = new();
    private readonly List<ILiveQuerySubscriber> _subscribers = [];
    private string? _last;
    private bool _running;
    private bool _dirty;

    public string Key { get; } = key;
    public LiveQueryPlan Plan { get; } = plan;
    public LiveQueryWatch Watch => Plan.Watch;
    /// <summary>The subscription as parsed once; every run of the group executes it (validated on the first).</summary>
    public PreparedOperation Prepared { get; } = prepared;

    /// <summary>Set once the executor has validated and run it: from then on it may be multiplexed.</summary>
    public bool Validated { get; set; }

    public bool IsEmpty { get { lock (_lock) return _subscribers.Count == 0; } }
    public int SubscriberCount { get { lock (_lock) return _subscribers.Count; } }

    /// <summary>Adds a subscriber; it gets the current result at once when there is one, else the first run's.</summary>
    public void Add(ILiveQuerySubscriber subscriber)
    {
        string? current;
        bool start = false;
        lock (_lock)
        {
            _subscribers.Add(subscriber);
            current = _last;
            if (current is null && !_running) { _running = true; start = true; }
        }
        if (current is not null)
        {
            subscriber.OnNext(current);
            registry.Stats.AddPushes(1);
        }
        if (start) registry.Enqueue(this);
    }

    public void Remove(ILiveQuerySubscriber subscriber)
    {
        lock (_lock) _subscribers.Remove(subscriber);
    }

    /// <summary>Marks the group for a refresh; true when the caller must queue it (it was idle).</summary>
    public bool RequestRefresh()
    {
        lock (_lock)
        {
            if (_running) { _dirty = true; return false; }
            _running = true;
            return true;
        }
    }

    /// <summary>Takes the result of a run: pushes it if it changed, and runs again if a refresh came meanwhile.</summary>
    public void Complete(GraphQLResult result)
    {
        if (result.Phase == ErrorPhase.Unavailable)
        {
            // PostgreSQL is away: subscribers keep the last result instead of an error, and the group runs again later.
            lock (_lock) _running = _dirty = false;
            registry.RetryLater(this);
            return;
        }
        using var fanout = Observability.PeregrineTelemetry.Source.StartActivity("graphql.live_query.fanout");
        ILiveQuerySubscriber[] targets = [];
        var fatal = ResultJson.IsFatal(result);
        var payload = fatal ? null : ResultJson.Serialize(result);
        bool again;
        // Forgotten first: a subscriber arriving from now on starts a new group instead of joining a dead one.
        if (fatal) registry.Forget(this);
        lock (_lock)
        {
            if (fatal)
            {
                targets = _subscribers.ToArray();
                _subscribers.Clear();
            }
            else if (payload != _last)
            {
                _last = payload;
                targets = _subscribers.ToArray();
            }
            again = _dirty && !fatal && _subscribers.Count > 0;
            _dirty = false;
            _running = again;
        }
        if (fatal)
            foreach (var s in targets) Deliver(() => s.OnError(result.Errors));
        else if (targets.Length == 0) registry.Stats.AddUnchanged();
        else
        {
            foreach (var s in targets) Deliver(() => s.OnNext(payload!));
            registry.Stats.AddPushes(targets.Length);
            fanout?.SetTag("peregrine.subscribers", targets.Length);
        }
        if (again) registry.Enqueue(this);
    }

    private void Deliver(Action send)
    {
        try { send(); }
        catch (Exception e) { registry.Logger.LogWarning(e, "a live query subscriber failed to take a result"); }
    }
}
