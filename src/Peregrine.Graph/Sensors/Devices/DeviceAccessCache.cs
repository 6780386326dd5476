using System.Collections.Concurrent;
using System.Text;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Sensors.Devices;

/// <summary>
/// The "yes" answers of <see cref="DeviceAccess"/>, per session (role and session variables), device and operation,
/// so that a device streaming batches does not cost a PostgreSQL round trip per request (a seventh of the ingest
/// path's CPU). Only grants are kept: a refusal is asked again every time, so a device created or shared a moment
/// ago is never refused from memory. A grant is forgotten when who may use a device changes (<see cref="Invalidate"/>,
/// on the change events that re-check live subscriptions: devices' owner or enclosure, enclosures' owner,
/// memberships; and on a bus resync, when events may have been missed), and in any case after <see cref="MaxAge"/>.
/// </summary>
public sealed class DeviceAccessCache
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    // Bounds memory against many sessions or guessed ids: past this many grants, start again from empty.
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(DeviceOperation, string, Guid), long> _granted = new();
    private long _generation;

    /// <summary>Taken before asking PostgreSQL; <see cref="Grant"/> keeps the answer only if nothing changed since.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>One text per (role, session variables): what a role's device rules can depend on.</summary>
    public static string SessionKey(Session session)
    {
        if (session.Variables.Count == 0) return session.Role;
        var sb = new StringBuilder(session.Role);
        foreach (var (name, value) in session.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            sb.Append('\n').Append(name).Append('=').Append(value);
        return sb.ToString();
    }

    /// <summary>True when every one of <paramref name="devices"/> was granted recently and nothing changed since.</summary>
    public bool AllGranted(DeviceOperation operation, string session, IReadOnlyCollection<Guid> devices)
    {
        var now = Environment.TickCount64;
        foreach (var device in devices)
            if (!_granted.TryGetValue((operation, session, device), out var until) || now >= until) return false;
        return devices.Count > 0;
    }

    /// <summary>Keeps the grants of an answer PostgreSQL gave, unless an invalidation came in while it was asked.</summary>
    public void Grant(DeviceOperation operation, string session, IEnumerable<Guid> devices, long generation)
    {
        if (_granted.Count > MaxEntries) _granted.Clear();
        var until = Environment.TickCount64 + (long)MaxAge.TotalMilliseconds;
        foreach (var device in devices) _granted[(operation, session, device)] = until;
        // An invalidation between the question and now: what was just stored may predate it.
        if (Generation != generation) Invalidate();
    }

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _granted.Clear();
    }
}
