namespace Peregrine.Domain.Events;

/// <summary>
/// Carries change events from the instance that captured them to every instance. Messages are the
/// trigger's JSON, passed through untouched; <see cref="ChangeBusMessage.Resync"/> asks every receiver to
/// re-check all it watches (events may have been lost: a reconnect, a new capture leader).
/// </summary>
public interface IChangeBus : IAsyncDisposable
{
    /// <summary>True when every instance shares this bus (Redis): only one instance then captures.</summary>
    bool IsShared { get; }

    /// <summary>Starts receiving without waiting for a remote service; <paramref name="ct"/> stops the bus's background work.</summary>
    Task StartAsync(CancellationToken ct);

    Task PublishAsync(IReadOnlyList<string> messages, CancellationToken ct);

    /// <summary>Registers the receiver of this instance. Called once, before <see cref="StartAsync"/>.</summary>
    void Subscribe(IChangeReceiver receiver);

    /// <summary>For /healthz: null while the bus works, else what is wrong.</summary>
    Task<string?> ProbeAsync(CancellationToken ct) => Task.FromResult<string?>(null);
}

public interface IChangeReceiver
{
    /// <summary>Events in the order the bus delivered them. Must not block: hand work off.</summary>
    void OnChanges(IReadOnlyList<ChangeEvent> events);

    /// <summary>Events may have been missed: re-check everything once.</summary>
    void OnResync();

    /// <summary>
    /// Whether a raw message can be dropped unparsed (nothing here would use it): parsing a 16 KB sensor batch for
    /// an instance with no sensor subscribers was a tenth of the ingest path's CPU.
    /// </summary>
    bool Ignores(string message) => false;
}

public static class ChangeBusMessage
{
    public const string Resync = "{\"resync\":true}";

    /// <summary>Splits received messages into events and resync requests, and hands them to the receiver.</summary>
    public static void Dispatch(IReadOnlyList<string> messages, IChangeReceiver? receiver)
    {
        if (receiver is null) return;
        var events = new List<ChangeEvent>(messages.Count);
        var resync = false;
        foreach (var m in messages)
        {
            if (m == Resync) { resync = true; continue; }
            if (receiver.Ignores(m)) continue;
            if (ChangeEvent.Parse(m) is { } e) events.Add(e);
        }
        if (resync) receiver.OnResync();
        if (events.Count > 0) receiver.OnChanges(events);
    }
}
