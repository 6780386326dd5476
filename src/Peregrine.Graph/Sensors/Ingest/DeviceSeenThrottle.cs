using System.Collections.Concurrent;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// At most one <c>devices.last_seen_at</c> update per device per <see cref="Interval"/> on this instance. Each
/// update is a committed row change, so besides its own statement it runs change capture, the bus and every live
/// query on <c>devices</c>; a device posting a batch every few milliseconds made that chain a large share of
/// ingest's work for a column that answers "when was it last heard from", to the second. The map is emptied
/// when it outgrows <see cref="MaxDevices"/>, which costs only an early update per device.
/// </summary>
public sealed class DeviceSeenThrottle
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public const int MaxDevices = 100_000;

    private readonly ConcurrentDictionary<Guid, long> _touched = new();

    /// <summary>True when the device's last update from here is older than <see cref="Interval"/> (and records now).</summary>
    public bool ShouldTouch(Guid device, DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        if (_touched.TryGetValue(device, out var last) && ticks - last < Interval.Ticks) return false;
        if (_touched.Count >= MaxDevices) _touched.Clear();
        _touched[device] = ticks;
        return true;
    }

    /// <summary>The update failed: let the next request try again.</summary>
    public void Forget(Guid device) => _touched.TryRemove(device, out _);
}
