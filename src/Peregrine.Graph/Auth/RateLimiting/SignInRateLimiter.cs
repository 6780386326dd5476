using System.Threading.RateLimiting;
using Peregrine.Graph.Auth.Api;

namespace Peregrine.Graph.Auth.RateLimiting;

/// <summary>
/// Fixed-window limits on credential guessing, with ASP.NET Core's rate-limiting primitives: per client IP
/// (every sign-in and sign-up request) and per account (password and TOTP attempts). A refusal is
/// <c>429 too-many-requests</c> with <c>Retry-After</c>.
/// </summary>
public sealed class SignInRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perIp;
    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInRateLimiter(AuthOptions options)
    {
        _perIp = PartitionedRateLimiter.Create<string, string>(ip => RateLimitPartition.GetFixedWindowLimiter(ip, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = options.SignInPerIpPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        _perAccount = PartitionedRateLimiter.Create<string, string>(account => RateLimitPartition.GetFixedWindowLimiter(account, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = options.SignInPerAccountPer5Minutes, Window = TimeSpan.FromMinutes(5), QueueLimit = 0 }));
    }

    public void AcquireForIp(string ip) => Acquire(_perIp, ip);

    /// <summary><paramref name="account"/> is an email or a user id: one budget per identity guessed at.</summary>
    public void AcquireForAccount(string account) => Acquire(_perAccount, account);

    private static void Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired) return;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        throw new RateLimitedError(retryAfter);
    }

    public void Dispose()
    {
        _perIp.Dispose();
        _perAccount.Dispose();
    }
}

/// <summary>A 429 in Hasura Auth's error shape that also knows its <c>Retry-After</c>.</summary>
public sealed class RateLimitedError(TimeSpan retryAfter) : Exception("Too many requests")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
    public AuthError Error { get; } = AuthError.TooManyRequests();
}
