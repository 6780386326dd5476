using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.Jwt;

namespace Peregrine.Graph.Auth.Sessions;

/// <summary>
/// Signs access tokens as Hasura Auth does: <c>sub</c> = user id, and the Hasura claims (allowed roles, default
/// role, user id, <c>x-hasura-user-is-anonymous</c>) under the configured namespace, in the configured
/// <c>claims_format</c>, so <see cref="SessionResolver"/> accepts exactly what this issues. <c>sid</c> names the
/// session (the refresh-token family) the token belongs to, so a password change can end every other session.
/// </summary>
public sealed class AccessTokenIssuer(JwtContext jwt, AuthOptions options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler _handler = new();

    public bool CanIssue => jwt.Keys?.SigningCredentials is not null;

    public const string SessionIdClaim = "sid";

    public string Issue(AuthUser user, Guid sessionId)
    {
        var keys = jwt.Keys ?? throw new InvalidOperationException("no JWT secret is configured");
        var credentials = keys.SigningCredentials ?? throw new InvalidOperationException("the JWT secret has no signing key");
        var settings = keys.Settings;
        var now = clock.GetUtcNow();

        var claims = new JsonObject
        {
            [HasuraClaims.AllowedRolesClaim] = new JsonArray(user.Roles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
            [HasuraClaims.DefaultRoleClaim] = user.DefaultRole,
            ["x-hasura-user-id"] = user.Id.ToString(),
            ["x-hasura-user-is-anonymous"] = user.IsAnonymous ? "true" : "false",
        };
        JsonNode claimsValue = settings.ClaimsFormat == ClaimsFormat.StringifiedJson ? JsonValue.Create(claims.ToJsonString())! : claims;

        var payload = new JsonObject
        {
            ["sub"] = user.Id.ToString(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + options.AccessTokenLifetime).ToUnixTimeSeconds(),
            ["iss"] = settings.Issuer ?? options.TokenIssuer,
            [SessionIdClaim] = sessionId.ToString(),
        };
        if (settings.Audiences.Count > 0) payload["aud"] = settings.Audiences[0];
        if (settings.ClaimsNamespacePath is { } path) path.Assign(payload, claimsValue);
        else payload[settings.ClaimsNamespace] = claimsValue;

        return _handler.CreateToken(payload.ToJsonString(), credentials);
    }
}
