namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>
/// Fixed-window attempt counters, kept in this process or shared by every instance through Redis. Taking
/// checks and counts several budgets at once, atomically: either every budget has room and each counts the
/// attempt, or none does. So an attempt refused by one budget (a locked address) never uses up another (the
/// account's ceiling), which is what keeps an attacker's refused guesses from locking the owner out.
/// </summary>
public interface IAttemptCounter
{
    ValueTask<AttemptDecision> TryTakeAsync(IReadOnlyList<AttemptBudget> budgets, CancellationToken ct);

    /// <summary>Gives back one attempt to each budget: a right password or code does not count against them.</summary>
    ValueTask RefundAsync(IReadOnlyList<AttemptBudget> budgets, CancellationToken ct);
}
