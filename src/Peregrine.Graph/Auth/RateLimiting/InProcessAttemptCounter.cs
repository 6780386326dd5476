namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>
/// The counters in this process's memory: what runs without Redis, and what a Redis-backed counter falls back
/// to while Redis cannot be reached. Expired windows are swept now and then, so an attacker cycling through
/// addresses or emails costs memory only for the length of a window.
/// </summary>
public sealed class InProcessAttemptCounter(TimeProvider clock) : IAttemptCounter
{
    private const int SweepEvery = 4096;
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _untilSweep = SweepEvery;

    private sealed class Window(DateTimeOffset endsAt)
    {
        public DateTimeOffset EndsAt = endsAt;
        public int Count;
    }

    public ValueTask<AttemptDecision> TryTakeAsync(IReadOnlyList<AttemptBudget> budgets, CancellationToken ct) =>
        ValueTask.FromResult(TryTake(budgets));

    public AttemptDecision TryTake(IReadOnlyList<AttemptBudget> budgets)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (--_untilSweep <= 0) Sweep(now);
            var wait = TimeSpan.Zero;
            foreach (var b in budgets)
                if (Live(b.Key, now) is { } w && w.Count >= b.Limit && w.EndsAt - now > wait) wait = w.EndsAt - now;
            if (wait > TimeSpan.Zero) return new AttemptDecision(false, wait);
            foreach (var b in budgets)
            {
                var w = Live(b.Key, now);
                if (w is null) _windows[b.Key] = w = new Window(now + b.Window);
                w.Count++;
            }
            return AttemptDecision.Allow;
        }
    }

    public ValueTask RefundAsync(IReadOnlyList<AttemptBudget> budgets, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var b in budgets)
                if (Live(b.Key, now) is { Count: > 0 } w) w.Count--;
        }
        return ValueTask.CompletedTask;
    }

    private Window? Live(string key, DateTimeOffset now) =>
        _windows.TryGetValue(key, out var w) && w.EndsAt > now ? w : null;

    private void Sweep(DateTimeOffset now)
    {
        _untilSweep = SweepEvery;
        foreach (var (key, w) in _windows)
            if (w.EndsAt <= now) _windows.Remove(key);
    }
}
