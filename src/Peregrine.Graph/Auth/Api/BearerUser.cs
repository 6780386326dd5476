using Microsoft.AspNetCore.Http;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Auth.Api;

/// <summary>The user an endpoint acts for: the <c>x-hasura-user-id</c> of a valid <c>Authorization: Bearer</c> access token.</summary>
public static class BearerUser
{
    public static Guid? TryGetId(HttpRequest request, JwtContext jwt) => TryGet(request, jwt)?.UserId;

    public static Guid GetId(HttpRequest request, JwtContext jwt) =>
        TryGetId(request, jwt) ?? throw AuthError.UnauthenticatedUser();

    /// <summary>The user and, for tokens Peregrine signed, the session (refresh-token family) the token belongs to.</summary>
    public static (Guid UserId, Guid? SessionId)? TryGet(HttpRequest request, JwtContext jwt)
    {
        var header = request.Headers.Authorization.FirstOrDefault();
        if (jwt.Verifier is not { } verifier || header is null) return null;
        var parts = header.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var payload = verifier.Verify(parts[1]);
            var claims = HasuraClaims.Read(payload, verifier.Keys.Settings);
            if (!claims.Variables.TryGetValue("x-hasura-user-id", out var id) || !Guid.TryParse(id, out var userId)) return null;
            Guid? session = payload.TryGetProperty(Sessions.AccessTokenIssuer.SessionIdClaim, out var sid)
                && sid.ValueKind == System.Text.Json.JsonValueKind.String && Guid.TryParse(sid.GetString(), out var s) ? s : null;
            return (userId, session);
        }
        catch (HasuraError)
        {
            return null;
        }
    }
}
