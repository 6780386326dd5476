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
        var claims = new JsonObject
        {
            [HasuraClaims.AllowedRolesClaim] = new JsonArray(user.Roles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
            [HasuraClaims.DefaultRoleClaim] = user.DefaultRole,
            ["x-hasura-user-id"] = user.Id.ToString(),
            ["x-hasura-user-is-anonymous"] = user.IsAnonymous ? "true" : "false",
        };
        return Sign(user.Id.ToString(), claims, options.AccessTokenLifetime, new JsonObject { [SessionIdClaim] = sessionId.ToString() });
    }

    /// <summary>
    /// A device's token (OAuth 2.0 client credentials): role <c>device</c> only, <c>x-hasura-device-id</c>, no user id,
    /// so it opens the device's own rules and nothing of its owner's account.
    /// </summary>
    public string IssueDevice(Guid deviceId, string clientId, TimeSpan lifetime)
    {
        var claims = new JsonObject
        {
            [HasuraClaims.AllowedRolesClaim] = new JsonArray(JsonValue.Create(DeviceRole)),
            [HasuraClaims.DefaultRoleClaim] = DeviceRole,
            [DeviceIdClaim] = deviceId.ToString(),
        };
        return Sign(clientId, claims, lifetime, []);
    }

    public const string DeviceRole = "device";
    public const string DeviceIdClaim = "x-hasura-device-id";

    private string Sign(string subject, JsonObject claims, TimeSpan lifetime, JsonObject extra)
    {
        var keys = jwt.Keys ?? throw new InvalidOperationException("no JWT secret is configured");
        var credentials = keys.SigningCredentials ?? throw new InvalidOperationException("the JWT secret has no signing key");
        var settings = keys.Settings;
        var now = clock.GetUtcNow();
        JsonNode claimsValue = settings.ClaimsFormat == ClaimsFormat.StringifiedJson ? JsonValue.Create(claims.ToJsonString())! : claims;

        var payload = new JsonObject
        {
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["iss"] = settings.Issuer ?? options.TokenIssuer,
        };
        foreach (var (name, value) in extra) payload[name] = value?.DeepClone();
        if (settings.Audiences.Count > 0) payload["aud"] = settings.Audiences[0];
        if (settings.ClaimsNamespacePath is { } path) path.Assign(payload, claimsValue);
        else payload[settings.ClaimsNamespace] = claimsValue;

        return _handler.CreateToken(payload.ToJsonString(), credentials);
    }
}
