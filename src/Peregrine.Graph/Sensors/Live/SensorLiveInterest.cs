using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Peregrine.Domain.Events;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Subscriptions;
using StackExchange.Redis;

namespace Peregrine.Graph.Sensors.Live;

/// <summary>
/// Which devices have a <c>sensor_readings_live</c> subscriber on any instance, so that a batch nobody listens to is
/// neither turned into bus messages nor published (that was an eighth of the ingest path's CPU). With Redis: one
/// sorted set per device, <c>&lt;bus channel&gt;:sensor-live:&lt;device&gt;</c>, member = one subscription, score = the
/// Unix millisecond at which its lease ends. A subscription is added (and awaited) <b>before</b> it is acknowledged and
/// removed when it ends; this instance's host renews the leases of its subscriptions every <see cref="Renewal"/>, so
/// the members of an instance that died expire on their own after <see cref="Lease"/>. Without Redis the bus is
/// in-process and this instance's own subscriptions are the whole answer.
/// <para>
/// Never loses a live message: when Redis cannot answer, the answer is "yes, publish". Only "yes" is cached (for
/// <see cref="PositiveCacheTime"/>): a stale "yes" costs one needless publish, whereas a cached "no" could hide a
/// subscriber that was acknowledged between the cached check and a later write.
/// </para>
/// </summary>
public sealed class SensorLiveInterest : BackgroundService
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan PositiveCacheTime = TimeSpan.FromMilliseconds(500);

    private readonly string? _redisUrl;
    private readonly string _keyPrefix;
    private readonly ILogger<SensorLiveInterest> _logger;
    // This instance's subscriptions: member → device. The renewal loop re-adds each of them.
    private readonly ConcurrentDictionary<string, Guid> _mine = new(StringComparer.Ordinal);
    // Devices with a subscriber on this instance, with how many: asked first, with no round trip.
    private readonly ConcurrentDictionary<Guid, int> _localCount = new();
    // Device → Environment.TickCount64 until which "yes" holds.
    private readonly ConcurrentDictionary<Guid, long> _yesUntil = new();
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private Task<ConnectionMultiplexer?>? _connecting;
    private long _nextMember;

    public SensorLiveInterest(PeregrineOptions options, ILogger<SensorLiveInterest> logger)
        : this(options.RedisUrl, RealtimeServices.ChannelName(options.DatabaseConnectionString) + ":sensor-live:", logger) { }

    /// <summary>Without a <paramref name="redisUrl"/>, this instance's subscriptions are the whole answer (the in-process bus).</summary>
    public SensorLiveInterest(string? redisUrl, string keyPrefix, ILogger<SensorLiveInterest> logger)
    {
        _redisUrl = redisUrl;
        _keyPrefix = keyPrefix;
        _logger = logger;
    }

    /// <summary>The Redis key of a device's subscriptions (public for tests, which read it with their own client).</summary>
    public string KeyOf(Guid device) => _keyPrefix + device.ToString("D");

    /// <summary>
    /// Records a new subscription to <paramref name="device"/>; returns its member name for <see cref="Remove"/>. Awaited
    /// before the subscription is acknowledged, so a write that starts after the acknowledgement sees it. Redis away:
    /// the subscription still starts (the renewal loop adds it once Redis answers; the bus itself is down meanwhile).
    /// </summary>
    public async Task<string> AddAsync(Guid device, CancellationToken ct)
    {
        var member = _instance + ":" + Interlocked.Increment(ref _nextMember);
        _mine[member] = device;
        _localCount.AddOrUpdate(device, 1, (_, n) => n + 1);
        if (await ConnectedAsync() is { } redis)
        {
            try { await WriteLeaseAsync(redis.GetDatabase(), device, [member]).WaitAsync(ct); }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _logger.LogWarning("sensor live interest not recorded in redis ({Message}); renewal retries", e.Message);
            }
        }
        return member;
    }

    /// <summary>The subscription ended: forgotten here at once, in Redis without waiting (its lease ends anyway).</summary>
    public void Remove(string member)
    {
        if (!_mine.TryRemove(member, out var device)) return;
        _localCount.AddOrUpdate(device, 0, (_, n) => Math.Max(0, n - 1));
        if (_localCount.TryGetValue(device, out var left) && left == 0) _localCount.TryRemove(KeyValuePair.Create(device, 0));
        if (_connecting is { IsCompletedSuccessfully: true } c && c.Result is { IsConnected: true } redis)
        {
            try { redis.GetDatabase().SortedSetRemove(KeyOf(device), member, CommandFlags.FireAndForget); }
            catch (RedisException) { /* the lease runs out on its own */ }
        }
    }

    /// <summary>
    /// Whether anyone, on any instance, listens to <paramref name="device"/> now. Called after a batch is stored, once
    /// per device of the batch. True when unsure.
    /// </summary>
    public async ValueTask<bool> AnyoneListensAsync(Guid device)
    {
        if (_localCount.TryGetValue(device, out var n) && n > 0) return true;
        if (_redisUrl is null) return false; // the in-process bus: this instance's subscribers are all there are
        var now = Environment.TickCount64;
        if (_yesUntil.TryGetValue(device, out var until) && now < until) return true;
        if (await ConnectedAsync() is not { } redis) return true;
        try
        {
            var live = await redis.GetDatabase().SortedSetLengthAsync(KeyOf(device), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), double.PositiveInfinity,
                Exclude.Start);
            if (live == 0) return false;
            _yesUntil[device] = now + (long)PositiveCacheTime.TotalMilliseconds;
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException) { return true; }
    }

    private static async Task WriteLeaseAsync(IDatabaseAsync db, Guid device, IReadOnlyCollection<string> members, string key)
    {
        var ends = DateTimeOffset.UtcNow.Add(Lease).ToUnixTimeMilliseconds();
        await db.SortedSetAddAsync(key, members.Select(m => new SortedSetEntry(m, ends)).ToArray());
        // A key whose every instance died goes away by itself; the expired members of a live key are swept on renewal.
        await db.KeyExpireAsync(key, Lease * 2);
    }

    private Task WriteLeaseAsync(IDatabaseAsync db, Guid device, IReadOnlyCollection<string> members) =>
        WriteLeaseAsync(db, device, members, KeyOf(device));

    /// <summary>Renews this instance's leases until the host stops (the host owns this loop and its token).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_redisUrl is null) return;
        using var timer = new PeriodicTimer(Renewal);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await RenewAsync();
    }

    /// <summary>Re-adds every subscription of this instance with a fresh lease (also after Redis restarted empty).</summary>
    public async Task RenewAsync()
    {
        if (await ConnectedAsync() is not { } redis) return;
        var db = redis.GetDatabase();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        try
        {
            foreach (var device in _mine.GroupBy(m => m.Value, m => m.Key))
            {
                var key = KeyOf(device.Key);
                await db.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, now);
                await WriteLeaseAsync(db, device.Key, device.ToList(), key);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _logger.LogWarning("sensor live interest leases not renewed ({Message}); retried in {Seconds} s", e.Message, Renewal.TotalSeconds);
        }
    }

    // The connection is made on first use and kept; with AbortOnConnectFail off it completes even while Redis is down
    // and reconnects by itself.
    private Task<ConnectionMultiplexer?> ConnectedAsync()
    {
        if (_redisUrl is null) return Task.FromResult<ConnectionMultiplexer?>(null);
        var connecting = Volatile.Read(ref _connecting);
        if (connecting is null)
        {
            // First use: one connection however many callers race here.
            var started = new TaskCompletionSource<ConnectionMultiplexer?>(TaskCreationOptions.RunContinuationsAsynchronously);
            connecting = Interlocked.CompareExchange(ref _connecting, started.Task, null) ?? started.Task;
            if (connecting == started.Task) _ = CompleteAsync(started, _redisUrl);
        }
        return connecting.IsCompletedSuccessfully
            ? Task.FromResult(connecting.Result is { IsConnected: true } r ? r : null)
            : ConnectedSlowAsync(connecting);
    }

    private static async Task<ConnectionMultiplexer?> ConnectedSlowAsync(Task<ConnectionMultiplexer?> connecting) =>
        await connecting is { IsConnected: true } r ? r : null;

    private async Task CompleteAsync(TaskCompletionSource<ConnectionMultiplexer?> started, string url) =>
        started.SetResult(await ConnectAsync(url));

    private async Task<ConnectionMultiplexer?> ConnectAsync(string url)
    {
        var options = RedisChangeBus.ParseUrl(url);
        options.AbortOnConnectFail = false;
        options.ClientName = "peregrine-sensor-live";
        options.ConnectTimeout = 2000;
        // Asked on the ingest path: a slow Redis turns into "publish anyway" rather than a slow write.
        options.AsyncTimeout = 1000;
        options.SyncTimeout = 1000;
        try
        {
            var redis = await ConnectionMultiplexer.ConnectAsync(options);
            // Redis may come back empty (restarted): put this instance's leases back at once.
            redis.ConnectionRestored += (_, _) => _ = RenewAsync();
            return redis;
        }
        catch (RedisException e)
        {
            _logger.LogWarning("sensor live interest: redis unavailable ({Message})", e.Message);
            Volatile.Write(ref _connecting, null); // asked again on next use
            return null;
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        if (_connecting is { IsCompletedSuccessfully: true } c) c.Result?.Dispose();
    }
}
