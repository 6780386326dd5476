using Microsoft.Extensions.Logging;
using Peregrine.Domain.Events;
using StackExchange.Redis;

namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>
/// The counters in Redis, so N instances grant one budget between them, not N. One Lua script per decision
/// (one round trip, atomic on the server): check every budget, then count the attempt in all of them or in none.
/// A window is a key with an expiry set at its first attempt. While Redis cannot be reached (down at start-up,
/// restarting, timing out) decisions come from <see cref="InProcessAttemptCounter"/>: requests keep being
/// answered and limited, per instance, instead of failing. Keys live under one hash tag per database, so
/// servers of different databases can share a Redis (and a cluster keeps each script's keys on one slot).
/// </summary>
public sealed class RedisAttemptCounter : IAttemptCounter, IAsyncDisposable
{
    // KEYS: the budgets' keys; ARGV: their limits, then their windows in milliseconds. Answers 0 when counted,
    // else the milliseconds until the fullest window ends.
    private const string TakeScript = """
        local n = #KEYS
        local wait = 0
        for i = 1, n do
          local count = tonumber(redis.call('GET', KEYS[i]) or '0')
          if count >= tonumber(ARGV[i]) then
            local ttl = redis.call('PTTL', KEYS[i])
            if ttl < 0 then
              ttl = tonumber(ARGV[n + i])
              redis.call('PEXPIRE', KEYS[i], ttl)
            end
            if ttl > wait then wait = ttl end
          end
        end
        if wait > 0 then return wait end
        for i = 1, n do
          if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[n + i]) end
        end
        return 0
        """;

    private const string RefundScript = """
        for i = 1, #KEYS do
          if redis.call('EXISTS', KEYS[i]) == 1 and redis.call('DECR', KEYS[i]) <= 0 then redis.call('DEL', KEYS[i]) end
        end
        return 0
        """;

    private readonly string _url;
    private readonly string _prefix;
    private readonly InProcessAttemptCounter _fallback;
    private readonly ILogger<RedisAttemptCounter> _logger;
    private Task? _connecting;
    private ConnectionMultiplexer? _redis;
    private int _fallingBack;

    public RedisAttemptCounter(string url, string keyPrefix, InProcessAttemptCounter fallback, ILogger<RedisAttemptCounter> logger)
    {
        _url = url;
        _prefix = keyPrefix;
        _fallback = fallback;
        _logger = logger;
    }

    /// <summary>Connects in the background: a Redis that is down must not hold up start-up.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = RedisChangeBus.ParseUrl(_url);
        options.AbortOnConnectFail = false;   // keep retrying in the background
        options.ClientName = "peregrine-limits";
        // A limit decision sits on the request path: better a per-instance answer than a slow one.
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 1000;
        options.SyncTimeout = 1000;
        _connecting = ConnectAsync(options);
        return Task.CompletedTask;
    }

    private async Task ConnectAsync(ConfigurationOptions options)
    {
        try { _redis = await ConnectionMultiplexer.ConnectAsync(options); }
        catch (RedisException e) { FellBack(e); }
    }

    /// <summary>Whether decisions are being shared through Redis right now.</summary>
    public bool IsShared => Connected() is not null;

    public async ValueTask<AttemptDecision> TryTakeAsync(IReadOnlyList<AttemptBudget> budgets, CancellationToken ct)
    {
        if (Connected() is { } redis)
        {
            try
            {
                var wait = (long)await redis.GetDatabase().ScriptEvaluateAsync(TakeScript, Keys(budgets), Arguments(budgets));
                Recovered();
                return wait <= 0 ? AttemptDecision.Allow : new AttemptDecision(false, TimeSpan.FromMilliseconds(wait));
            }
            catch (RedisException e) { FellBack(e); }
        }
        return _fallback.TryTake(budgets);
    }

    public async ValueTask RefundAsync(IReadOnlyList<AttemptBudget> budgets, CancellationToken ct)
    {
        if (Connected() is { } redis)
        {
            try
            {
                await redis.GetDatabase().ScriptEvaluateAsync(RefundScript, Keys(budgets));
                return;
            }
            catch (RedisException e) { FellBack(e); }
        }
        await _fallback.RefundAsync(budgets, ct);
    }

    private ConnectionMultiplexer? Connected()
    {
        if (_redis is { IsConnected: true } redis) return redis;
        if (_redis is not null) FellBack(null);
        return null;
    }

    private RedisKey[] Keys(IReadOnlyList<AttemptBudget> budgets) => budgets.Select(b => (RedisKey)(_prefix + b.Key)).ToArray();

    private static RedisValue[] Arguments(IReadOnlyList<AttemptBudget> budgets) =>
        budgets.Select(b => (RedisValue)b.Limit).Concat(budgets.Select(b => (RedisValue)(long)b.Window.TotalMilliseconds)).ToArray();

    private void FellBack(RedisException? e)
    {
        if (Interlocked.Exchange(ref _fallingBack, 1) == 0)
            _logger.LogWarning("rate limits fall back to this instance's counters: redis {State}", e?.GetType().Name ?? "is not connected");
    }

    private void Recovered()
    {
        if (Interlocked.Exchange(ref _fallingBack, 0) == 1) _logger.LogInformation("rate limits are shared through redis again");
    }

    public async ValueTask DisposeAsync()
    {
        if (_connecting is { } connecting) await connecting;
        if (_redis is { } redis) await redis.DisposeAsync();
    }
}
