using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.Mfa;
using Peregrine.Graph.Auth.RateLimiting;

namespace Peregrine.Graph.Auth.Api;

/// <summary>Every check of a TOTP code (sign-in, turning MFA on or off): counted against the user's code budget, given back when right.</summary>
internal static class TotpCheck
{
    public static async Task VerifyAsync(AuthUser user, string? code, SignInRateLimiter limiter, TimeProvider clock, CancellationToken ct)
    {
        if (user.TotpSecret is not { } secret) throw AuthError.NoTotpSecret();
        var attempt = await limiter.BeginTotpAttemptAsync(user.Id, ct);
        if (!Totp.Verify(secret, code, clock.GetUtcNow().UtcDateTime)) throw AuthError.InvalidTotp();
        await attempt.SucceededAsync(ct);
    }
}
