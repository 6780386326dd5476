using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>JWTs minted by the tests themselves, the way a third-party auth server (Auth0, Firebase...) would.</summary>
internal static class TestTokens
{
    public const string Namespace = "https://hasura.io/jwt/claims";

    public static JsonObject HasuraClaims(string defaultRole = "user", string[]? allowed = null, string? userId = null)
    {
        var claims = new JsonObject
        {
            ["x-hasura-default-role"] = defaultRole,
            ["x-hasura-allowed-roles"] = new JsonArray((allowed ?? ["user", "me"]).Select(r => (JsonNode)r).ToArray()),
            ["x-hasura-user-id"] = userId ?? Guid.NewGuid().ToString(),
        };
        // The device role's rules name the device; tests acting as a device act as the seeded phone.
        if (defaultRole == "device") claims["x-hasura-device-id"] = Peregrine.Domain.Seeding.DemoSensors.PhoneId.ToString();
        return claims;
    }

    /// <summary>A payload with the claims under the default namespace, valid for <paramref name="lifetime"/> (default 5 minutes).</summary>
    public static JsonObject Payload(JsonNode? claims = null, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new JsonObject
        {
            ["sub"] = "test",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromMinutes(5))).ToUnixTimeSeconds(),
            [Namespace] = claims ?? HasuraClaims(),
        };
    }

    public static string Sign(JsonObject payload, string key = PeregrineFixture.JwtKey, string algorithm = SecurityAlgorithms.HmacSha256) =>
        new JsonWebTokenHandler().CreateToken(payload.ToJsonString(),
            new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), algorithm));

    public static string Sign(JsonObject payload, SecurityKey key, string algorithm) =>
        new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), new SigningCredentials(key, algorithm));

    /// <summary><c>{"alg":"none"}</c>, no signature: the classic forgery.</summary>
    public static string Unsigned(JsonObject payload) =>
        B64("""{"alg":"none","typ":"JWT"}""") + "." + B64(payload.ToJsonString()) + ".";

    /// <summary>A genuine token with its payload swapped for another, keeping the original signature.</summary>
    public static string Tampered(string token, JsonObject newPayload)
    {
        var parts = token.Split('.');
        return parts[0] + "." + B64(newPayload.ToJsonString()) + "." + parts[2];
    }

    /// <summary>The payload as written, decoded without verifying anything.</summary>
    public static JsonObject DecodePayload(string token) =>
        JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]))!.AsObject();

    private static string B64(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    public static string Json(object o) => JsonSerializer.Serialize(o);
}
