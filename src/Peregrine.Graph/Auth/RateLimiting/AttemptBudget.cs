namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>At most <paramref name="Limit"/> attempts under <paramref name="Key"/> per fixed window of <paramref name="Window"/>, which starts at the first attempt.</summary>
public sealed record AttemptBudget(string Key, int Limit, TimeSpan Window);

/// <summary>Whether the attempt was counted, and if not, how long until the fullest budget's window ends.</summary>
public readonly record struct AttemptDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static readonly AttemptDecision Allow = new(true, TimeSpan.Zero);
}
