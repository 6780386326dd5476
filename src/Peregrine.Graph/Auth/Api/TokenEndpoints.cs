using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Auth.Sessions;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Auth.Api;

/// <summary>
/// <c>POST /token</c> (refresh: answers the session itself, unwrapped, as Hasura Auth does),
/// <c>POST /token/verify</c> and <c>POST /signout</c>.
/// </summary>
public static class TokenEndpoints
{
    public static async Task<Ok<SessionPayload>> RefreshAsync(HttpRequest request, AuthSessions sessions)
    {
        var body = await AuthJson.ReadAsync<RefreshTokenRequest>(request);
        var token = Validate.Required(body.RefreshToken, "refreshToken");
        return TypedResults.Ok(await sessions.RefreshAsync(token, request.HttpContext.RequestAborted));
    }

    /// <summary>Checks an access token from the body (<c>{token}</c>) or the Authorization header.</summary>
    public static async Task<Ok<string>> VerifyAsync(HttpRequest request, JwtContext jwt)
    {
        string? token = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            token = (await AuthJson.ReadAsync<VerifyTokenRequest>(request)).Token;
        if (string.IsNullOrEmpty(token))
        {
            var parts = request.Headers.Authorization.FirstOrDefault()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            token = parts is [var scheme, var value] && scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? value : null;
        }
        if (token is null || jwt.Verifier is not { } verifier) throw AuthError.UnauthenticatedUser();
        try { verifier.Verify(token); }
        catch (HasuraError e) { throw AuthError.UnauthenticatedUser(e.Message); }
        return TypedResults.Ok("OK");
    }

    /// <summary><c>{refreshToken}</c> ends that session; <c>{all: true}</c> (signed in) ends every session of the user.</summary>
    public static async Task<Ok<string>> SignOutAsync(HttpRequest request, RefreshTokenStore refreshTokens, JwtContext jwt)
    {
        var ct = request.HttpContext.RequestAborted;
        var body = await AuthJson.ReadAsync<SignOutRequest>(request);
        if (body.All == true)
        {
            var userId = BearerUser.TryGetId(request, jwt)
                ?? throw AuthError.UnauthenticatedUser("User must be signed in to sign out from all sessions");
            await refreshTokens.RevokeAllAsync(userId, ct);
        }
        else
        {
            await refreshTokens.RevokeAsync(Validate.Required(body.RefreshToken, "refreshToken"), ct);
        }
        return TypedResults.Ok("OK");
    }
}
