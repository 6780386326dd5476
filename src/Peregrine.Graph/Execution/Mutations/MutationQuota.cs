using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Execution.Mutations;

/// <summary>
/// One mutation request counts once against the session's mutation rate limit (<see cref="MutationRateLimiter"/>),
/// charged just before its first write of any kind: the transaction, sensor readings or device credentials.
/// </summary>
internal sealed class MutationQuota(MutationRateLimiter limiter, Session session)
{
    private bool _charged;

    public async ValueTask ChargeOnceAsync(CancellationToken ct)
    {
        if (_charged) return;
        await limiter.AcquireAsync(session, ct);
        _charged = true;
    }
}
