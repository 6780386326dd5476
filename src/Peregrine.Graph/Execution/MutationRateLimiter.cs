using System.Threading.RateLimiting;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;

namespace Peregrine.Graph.Execution;

/// <summary>
/// The seed's limit on the mutation path: a token bucket per user (PEREGRINE_MUTATIONS_PER_SECOND,
/// default 10 a second, bursts of the same size). Admin is not limited; sessions without a user id
/// share one bucket per role. Per instance: behind a load balancer each instance grants its own budget.
/// </summary>
public sealed class MutationRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;

    public MutationRateLimiter(PeregrineOptions options)
    {
        var perSecond = options.MutationsPerSecond;
        if (perSecond <= 0) return;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = perSecond,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public void Acquire(Session session)
    {
        if (_limiter is null || session.IsAdmin) return;
        var key = session.Variables.TryGetValue("x-hasura-user-id", out var user) ? "user:" + user : "role:" + session.Role;
        using var lease = _limiter.AttemptAcquire(key);
        if (lease.IsAcquired) return;
        throw new TooManyRequestsError(lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1));
    }

    public void Dispose() => _limiter?.Dispose();
}
