using Peregrine.Graph.Auth.RateLimiting;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Execution;

/// <summary>
/// The limit on the mutation path: PEREGRINE_MUTATIONS_PER_SECOND (default 10) per user, in one-second
/// windows. Admin is not limited; sessions without a user id share one budget per role. The counters are
/// the auth limits' (<see cref="IAttemptCounter"/>): shared by every instance through Redis when it is
/// configured, so N instances grant one budget between them, and per instance otherwise.
/// </summary>
public sealed class MutationRateLimiter(PeregrineOptions options, IAttemptCounter counter)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    public async ValueTask AcquireAsync(Session session, CancellationToken ct)
    {
        if (options.MutationsPerSecond <= 0 || session.IsAdmin) return;
        var key = session.Variables.TryGetValue("x-hasura-user-id", out var user) ? "mut:user:" + user : "mut:role:" + session.Role;
        var decision = await counter.TryTakeAsync([new AttemptBudget(key, options.MutationsPerSecond, Window)], ct);
        if (!decision.Allowed) throw new TooManyRequestsError(decision.RetryAfter);
    }
}
