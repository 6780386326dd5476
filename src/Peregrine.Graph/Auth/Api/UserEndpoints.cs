using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Auth.RateLimiting;

namespace Peregrine.Graph.Auth.Api;

/// <summary>The signed-in user: <c>GET /user</c>, <c>POST /user/password</c>, <c>POST /user/mfa</c> (TOTP on/off).</summary>
public static class UserEndpoints
{
    public static async Task<Ok<UserPayload>> GetUserAsync(HttpRequest request, AccountStore accounts, JwtContext jwt)
    {
        var user = await CurrentAsync(request, accounts, jwt);
        return TypedResults.Ok(UserPayload.From(user));
    }

    /// <summary>
    /// <c>{newPassword, oldPassword}</c>: the current password is needed (an access token alone, perhaps stolen,
    /// is not enough), and every other session of the user ends; the caller's own session goes on.
    /// </summary>
    public static async Task<Ok<string>> ChangePasswordAsync(
        HttpRequest request, AccountStore accounts, JwtContext jwt, SignInRateLimiter limiter, AuthOptions options)
    {
        var caller = BearerUser.TryGet(request, jwt) ?? throw AuthError.UnauthenticatedUser();
        var user = await CurrentAsync(request, accounts, jwt);
        var body = await AuthJson.ReadAsync<ChangePasswordRequest>(request);
        var password = Validate.NewPassword(body.NewPassword, options);
        await PasswordCheck.ReconfirmAsync(request, accounts, limiter, options, user, body.OldPassword, "oldPassword");
        await accounts.ChangePasswordAsync(user.Id, PasswordHasher.Hash(password), caller.SessionId, request.HttpContext.RequestAborted);
        return TypedResults.Ok("OK");
    }

    /// <summary>
    /// <c>{code, activeMfaType: "totp"}</c> turns TOTP on; <c>activeMfaType</c> empty or null turns it off, which
    /// also needs the current <c>password</c>. Every code checked counts against the user's code budget.
    /// </summary>
    public static async Task<Ok<string>> SetMfaAsync(
        HttpRequest request, AccountStore accounts, JwtContext jwt, SignInRateLimiter limiter, AuthOptions options, TimeProvider clock)
    {
        var ct = request.HttpContext.RequestAborted;
        var user = await CurrentAsync(request, accounts, jwt);
        var body = await AuthJson.ReadAsync<UserMfaRequest>(request);
        if (user.IsAnonymous) throw AuthError.ForbiddenAnonymous();

        if (string.IsNullOrEmpty(body.ActiveMfaType))
        {
            if (user.ActiveMfaType is null) throw AuthError.MfaTypeNotFound();
            await PasswordCheck.ReconfirmAsync(request, accounts, limiter, options, user, body.Password, "password");
            await TotpCheck.VerifyAsync(user, body.Code, limiter, clock, ct);
            await accounts.SetActiveMfaTypeAsync(user.Id, null, ct);
            return TypedResults.Ok("OK");
        }
        if (body.ActiveMfaType != "totp") throw AuthError.InvalidRequest("\"activeMfaType\" must be \"totp\" or empty");
        if (user.TotpActive) throw AuthError.TotpAlreadyActive();
        await TotpCheck.VerifyAsync(user, body.Code, limiter, clock, ct);
        await accounts.SetActiveMfaTypeAsync(user.Id, "totp", ct);
        return TypedResults.Ok("OK");
    }

    internal static async Task<AuthUser> CurrentAsync(HttpRequest request, AccountStore accounts, JwtContext jwt)
    {
        var id = BearerUser.GetId(request, jwt);
        var user = await accounts.FindByIdAsync(id, request.HttpContext.RequestAborted) ?? throw AuthError.UserNotFound();
        if (user.Disabled) throw AuthError.DisabledUser();
        return user;
    }
}
