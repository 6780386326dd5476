using Microsoft.AspNetCore.Http;
using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.RateLimiting;

namespace Peregrine.Graph.Auth.Api;

/// <summary>
/// Every check of a password, at sign-in and where a signed-in user must prove it again (password change,
/// turning MFA off): counted against the address+account and account budgets, given back when right, and a
/// bcrypt or weaker Argon2 hash replaced by today's Argon2id once the password is known to match it.
/// </summary>
internal static class PasswordCheck
{
    /// <summary>The user whose password this is; <c>invalid-email-password</c> for an unknown email or a wrong password alike.</summary>
    public static async Task<AuthUser> SignInAsync(
        HttpRequest request, AccountStore accounts, SignInRateLimiter limiter, AuthOptions options, string email, string password)
    {
        var ct = request.HttpContext.RequestAborted;
        var attempt = await limiter.BeginPasswordAttemptAsync(ClientAddress.Of(request.HttpContext, options.TrustedProxies), email, ct);
        var user = await accounts.FindByEmailAsync(email, ct);
        if (user?.PasswordHash is not { } hash)
        {
            PasswordHasher.VerifyNothing(password); // an unknown email takes as long as a wrong password
            throw AuthError.InvalidEmailPassword();
        }
        await VerifyAsync(user, hash, password, attempt, accounts, AuthError.InvalidEmailPassword, ct);
        return user;
    }

    /// <summary>The signed-in <paramref name="user"/> proves their password again; <c>oldPasswordField</c> names it in errors.</summary>
    public static async Task ReconfirmAsync(
        HttpRequest request, AccountStore accounts, SignInRateLimiter limiter, AuthOptions options, AuthUser user, string? password, string field)
    {
        if (user.PasswordHash is not { } hash) return;  // no password to prove (e.g. a user an admin created)
        if (string.IsNullOrEmpty(password)) throw AuthError.InvalidRequest($"\"{field}\" (the current password) is required");
        if (password.Length > options.PasswordMaxLength) throw AuthError.IncorrectPassword();
        var ct = request.HttpContext.RequestAborted;
        var attempt = await limiter.BeginPasswordAttemptAsync(ClientAddress.Of(request.HttpContext, options.TrustedProxies), user.Email, ct);
        await VerifyAsync(user, hash, password, attempt, accounts, AuthError.IncorrectPassword, ct);
    }

    private static async Task VerifyAsync(
        AuthUser user, string hash, string password, Attempt attempt, AccountStore accounts, Func<AuthError> wrong, CancellationToken ct)
    {
        if (!PasswordHasher.Verify(password, hash)) throw wrong();
        await attempt.SucceededAsync(ct);
        if (PasswordHasher.NeedsRehash(hash)) await accounts.RehashPasswordAsync(user.Id, hash, PasswordHasher.Hash(password), ct);
    }
}
