using Microsoft.AspNetCore.Http;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Auth.Api;

/// <summary>The user an endpoint acts for: the <c>x-hasura-user-id</c> of a valid <c>Authorization: Bearer</c> access token.</summary>
public static class BearerUser
{
    public static Guid? TryGetId(HttpRequest request, JwtContext jwt)
    {
        var header = request.Headers.Authorization.FirstOrDefault();
        if (jwt.Verifier is not { } verifier || header is null) return null;
        var parts = header.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var claims = HasuraClaims.Read(verifier.Verify(parts[1]), verifier.Keys.Settings);
            return claims.Variables.TryGetValue("x-hasura-user-id", out var id) && Guid.TryParse(id, out var userId) ? userId : null;
        }
        catch (HasuraError)
        {
            return null;
        }
    }

    public static Guid GetId(HttpRequest request, JwtContext jwt) =>
        TryGetId(request, jwt) ?? throw AuthError.UnauthenticatedUser();
}
