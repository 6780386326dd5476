using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Auth.Mfa;

namespace Peregrine.Graph.Auth.Api;

/// <summary>The signed-in user: <c>GET /user</c>, <c>POST /user/password</c>, <c>POST /user/mfa</c> (TOTP on/off).</summary>
public static class UserEndpoints
{
    public static async Task<Ok<UserPayload>> GetUserAsync(HttpRequest request, AccountStore accounts, JwtContext jwt)
    {
        var user = await CurrentAsync(request, accounts, jwt);
        return TypedResults.Ok(UserPayload.From(user));
    }

    public static async Task<Ok<string>> ChangePasswordAsync(HttpRequest request, AccountStore accounts, JwtContext jwt, AuthOptions options)
    {
        var user = await CurrentAsync(request, accounts, jwt);
        var body = await AuthJson.ReadAsync<ChangePasswordRequest>(request);
        var password = Validate.NewPassword(body.NewPassword, options);
        await accounts.SetPasswordHashAsync(user.Id, PasswordHasher.Hash(password), request.HttpContext.RequestAborted);
        return TypedResults.Ok("OK");
    }

    /// <summary><c>{code, activeMfaType: "totp"}</c> turns TOTP on; <c>activeMfaType</c> empty or null turns it off. Both need a current code.</summary>
    public static async Task<Ok<string>> SetMfaAsync(HttpRequest request, AccountStore accounts, JwtContext jwt, TimeProvider clock)
    {
        var ct = request.HttpContext.RequestAborted;
        var user = await CurrentAsync(request, accounts, jwt);
        var body = await AuthJson.ReadAsync<UserMfaRequest>(request);
        if (user.IsAnonymous) throw AuthError.ForbiddenAnonymous();
        var now = clock.GetUtcNow().UtcDateTime;

        if (string.IsNullOrEmpty(body.ActiveMfaType))
        {
            if (user.ActiveMfaType is null) throw AuthError.MfaTypeNotFound();
            if (user.TotpSecret is not { } current) throw AuthError.NoTotpSecret();
            if (!Totp.Verify(current, body.Code, now)) throw AuthError.InvalidTotp();
            await accounts.SetActiveMfaTypeAsync(user.Id, null, ct);
            return TypedResults.Ok("OK");
        }
        if (body.ActiveMfaType != "totp") throw AuthError.InvalidRequest("\"activeMfaType\" must be \"totp\" or empty");
        if (user.TotpActive) throw AuthError.TotpAlreadyActive();
        if (user.TotpSecret is not { } secret) throw AuthError.NoTotpSecret();
        if (!Totp.Verify(secret, body.Code, now)) throw AuthError.InvalidTotp();
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
