using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>Headers → session, as Hasura resolves them, for each way a JWT can be right or wrong.</summary>
public sealed class SessionResolverTests
{
    private static SessionResolver Resolver(string? jwtSecret = PeregrineFixture.JwtSecret, string? adminSecret = "admin-secret", string? unauthorizedRole = null) =>
        new(new PeregrineOptions
        {
            DatabaseConnectionString = "Host=unused",
            JwtSecret = jwtSecret,
            AdminSecret = adminSecret,
            UnauthorizedRole = unauthorizedRole,
        });

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var d = new HeaderDictionary();
        foreach (var (name, value) in headers) d[name] = value;
        return d;
    }

    private static HeaderDictionary Bearer(string token, params (string, string)[] more) =>
        Headers([("Authorization", "Bearer " + token), .. more]);

    private static T Fails<T>(Func<Session> resolve) where T : HasuraError => Assert.Throws<T>(() => resolve());

    [Fact]
    public void A_valid_token_gives_its_default_role_and_x_hasura_claims_as_lower_case_variables()
    {
        var userId = Guid.NewGuid().ToString();
        var claims = TestTokens.HasuraClaims("user", ["user", "me"], userId);
        claims["X-Hasura-Org-Id"] = "42";
        claims["not-hasura"] = "ignored";
        var session = Resolver().Resolve(Bearer(TestTokens.Sign(TestTokens.Payload(claims))));

        Assert.Equal("user", session.Role);
        Assert.Equal(userId, session.Variables["x-hasura-user-id"]);
        Assert.Equal("42", session.Variables["x-hasura-org-id"]);
        Assert.Equal("user", session.Variables["x-hasura-role"]);
        Assert.False(session.Variables.ContainsKey("not-hasura"));
        Assert.False(session.Variables.ContainsKey("x-hasura-allowed-roles"));
        Assert.False(session.IsAdmin);
    }

    [Fact]
    public void A_jwt_session_reports_when_its_token_expires()
    {
        var payload = TestTokens.Payload(lifetime: TimeSpan.FromMinutes(10));
        var (_, expires) = Resolver().ResolveWithExpiry(Bearer(TestTokens.Sign(payload)));
        Assert.Equal(payload["exp"]!.GetValue<long>(), expires!.Value.ToUnixTimeSeconds());
        Assert.Null(Resolver().ResolveWithExpiry(Headers(("x-hasura-admin-secret", "admin-secret"))).ExpiresAt);
    }

    [Fact]
    public void X_Hasura_Role_picks_one_of_the_allowed_roles()
    {
        var token = TestTokens.Sign(TestTokens.Payload());
        Assert.Equal("me", Resolver().Resolve(Bearer(token, ("X-Hasura-Role", "me"))).Role);
    }

    [Fact]
    public void A_role_outside_the_allowed_ones_is_access_denied()
    {
        var token = TestTokens.Sign(TestTokens.Payload());
        var e = Fails<AccessDeniedError>(() => Resolver().Resolve(Bearer(token, ("X-Hasura-Role", "admin"))));
        Assert.Equal("Your requested role is not in allowed roles", e.Message);
        Fails<AccessDeniedError>(() => Resolver().Resolve(Bearer(token, ("X-Hasura-Role", new string('r', 100_000)))));
    }

    [Fact]
    public void An_expired_token_is_invalid_jwt()
    {
        var payload = TestTokens.Payload(lifetime: TimeSpan.FromMinutes(-1));
        var e = Fails<InvalidJwtError>(() => Resolver().Resolve(Bearer(TestTokens.Sign(payload))));
        Assert.Equal("invalid-jwt", e.Code);
        Assert.Equal("Could not verify JWT: JWTExpired", e.Message);
    }

    [Fact]
    public void Allowed_skew_accepts_a_token_that_expired_within_it()
    {
        var token = TestTokens.Sign(TestTokens.Payload(lifetime: TimeSpan.FromSeconds(-30)));
        var secret = $$"""{"type":"HS256","key":"{{PeregrineFixture.JwtKey}}","allowed_skew":60}""";
        Assert.Equal("user", Resolver(secret).Resolve(Bearer(token)).Role);
        Fails<InvalidJwtError>(() => Resolver().Resolve(Bearer(token)));
    }

    [Fact]
    public void A_token_signed_with_another_key_is_invalid_jwt()
    {
        var token = TestTokens.Sign(TestTokens.Payload(), key: "another-key-that-is-long-enough-for-hs256!");
        var e = Fails<InvalidJwtError>(() => Resolver().Resolve(Bearer(token)));
        Assert.Equal("Could not verify JWT: JWSError JWSInvalidSignature", e.Message);
    }

    [Fact]
    public void A_tampered_payload_is_invalid_jwt()
    {
        var genuine = TestTokens.Sign(TestTokens.Payload());
        var forged = TestTokens.Tampered(genuine, TestTokens.Payload(TestTokens.HasuraClaims("admin", ["admin"])));
        Fails<InvalidJwtError>(() => Resolver().Resolve(Bearer(forged)));
    }

    [Fact]
    public void An_unsigned_alg_none_token_is_invalid_jwt()
    {
        var token = TestTokens.Unsigned(TestTokens.Payload(TestTokens.HasuraClaims("admin", ["admin"])));
        var e = Fails<InvalidJwtError>(() => Resolver().Resolve(Bearer(token)));
        Assert.Equal("invalid-jwt", e.Code);
        Assert.Equal("Could not verify JWT: JWSError JWSNoSignatures", e.Message);
    }

    [Fact]
    public void A_token_in_another_algorithm_is_invalid_jwt_even_with_the_same_key()
    {
        var token = TestTokens.Sign(TestTokens.Payload(), algorithm: SecurityAlgorithms.HmacSha512,
            key: PeregrineFixture.JwtKey + PeregrineFixture.JwtKey);
        Fails<InvalidJwtError>(() => Resolver().Resolve(Bearer(token)));
    }

    [Fact]
    public void Garbage_is_invalid_jwt_and_a_malformed_header_is_invalid_headers()
    {
        Fails<InvalidJwtError>(() => Resolver().Resolve(Bearer("not.a.jwt")));
        Fails<InvalidJwtError>(() => Resolver().Resolve(Bearer("xyz")));
        var e = Fails<InvalidHeadersError>(() => Resolver().Resolve(Headers(("Authorization", "Basic abc def"))));
        Assert.Equal("Malformed Authorization header", e.Message);
    }

    [Fact]
    public void Audience_and_issuer_are_checked_when_configured()
    {
        var secret = $$"""{"type":"HS256","key":"{{PeregrineFixture.JwtKey}}","audience":["peregrine-app"],"issuer":"https://auth.example"}""";
        var good = TestTokens.Payload();
        good["aud"] = "peregrine-app";
        good["iss"] = "https://auth.example";
        Assert.Equal("user", Resolver(secret).Resolve(Bearer(TestTokens.Sign(good))).Role);

        var wrongAudience = TestTokens.Payload();
        wrongAudience["aud"] = "someone-else";
        wrongAudience["iss"] = "https://auth.example";
        Assert.Equal("Could not verify JWT: JWTNotInAudience",
            Fails<InvalidJwtError>(() => Resolver(secret).Resolve(Bearer(TestTokens.Sign(wrongAudience)))).Message);

        var wrongIssuer = TestTokens.Payload();
        wrongIssuer["aud"] = "peregrine-app";
        wrongIssuer["iss"] = "https://evil.example";
        Assert.Equal("Could not verify JWT: JWTNotInIssuer",
            Fails<InvalidJwtError>(() => Resolver(secret).Resolve(Bearer(TestTokens.Sign(wrongIssuer)))).Message);
    }

    [Theory]
    [InlineData("x-hasura-default-role")]
    [InlineData("x-hasura-allowed-roles")]
    public void A_missing_role_claim_is_jwt_missing_role_claims(string missing)
    {
        var claims = TestTokens.HasuraClaims();
        claims.Remove(missing);
        var e = Fails<JwtMissingRoleClaimsError>(() => Resolver().Resolve(Bearer(TestTokens.Sign(TestTokens.Payload(claims)))));
        Assert.Equal("jwt-missing-role-claims", e.Code);
        Assert.Equal($"JWT claim does not contain {missing}", e.Message);
    }

    [Fact]
    public void A_token_without_the_claims_namespace_is_jwt_invalid_claims()
    {
        var payload = TestTokens.Payload();
        payload.Remove(TestTokens.Namespace);
        var e = Fails<JwtInvalidClaimsError>(() => Resolver().Resolve(Bearer(TestTokens.Sign(payload))));
        Assert.Equal($"claims key: '{TestTokens.Namespace}' not found", e.Message);
    }

    [Fact]
    public void Stringified_json_claims_are_read_when_configured()
    {
        var secret = $$"""{"type":"HS256","key":"{{PeregrineFixture.JwtKey}}","claims_format":"stringified_json"}""";
        var userId = Guid.NewGuid().ToString();
        var token = TestTokens.Sign(TestTokens.Payload(JsonValue.Create(TestTokens.HasuraClaims("me", ["user", "me"], userId).ToJsonString())));
        var session = Resolver(secret).Resolve(Bearer(token));
        Assert.Equal("me", session.Role);
        Assert.Equal(userId, session.Variables["x-hasura-user-id"]);

        // The same claims as an object do not satisfy stringified_json, and vice versa.
        Fails<JwtInvalidClaimsError>(() => Resolver(secret).Resolve(Bearer(TestTokens.Sign(TestTokens.Payload()))));
        Fails<JwtInvalidClaimsError>(() => Resolver().Resolve(Bearer(token)));
    }

    [Fact]
    public void Claims_namespace_path_finds_claims_nested_anywhere()
    {
        var secret = $$"""{"type":"HS256","key":"{{PeregrineFixture.JwtKey}}","claims_namespace_path":"$.app['hasura.claims']"}""";
        var payload = TestTokens.Payload();
        payload.Remove(TestTokens.Namespace);
        payload["app"] = new JsonObject { ["hasura.claims"] = TestTokens.HasuraClaims("me") };
        Assert.Equal("me", Resolver(secret).Resolve(Bearer(TestTokens.Sign(payload))).Role);

        var e = Fails<JwtInvalidClaimsError>(() => Resolver(secret).Resolve(Bearer(TestTokens.Sign(TestTokens.Payload()))));
        Assert.Equal("claims not found at claims_namespace_path: '$.app['hasura.claims']'", e.Message);
    }

    [Fact]
    public void A_custom_claims_namespace_is_honoured()
    {
        var secret = $$"""{"type":"HS256","key":"{{PeregrineFixture.JwtKey}}","claims_namespace":"https://peregrine.app/claims"}""";
        var payload = TestTokens.Payload();
        payload["https://peregrine.app/claims"] = payload[TestTokens.Namespace]!.DeepClone();
        payload.Remove(TestTokens.Namespace);
        Assert.Equal("user", Resolver(secret).Resolve(Bearer(TestTokens.Sign(payload))).Role);
    }

    [Fact]
    public void An_RS256_public_key_verifies_tokens_signed_by_its_private_key()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();
        var secret = new JsonObject { ["type"] = "RS256", ["key"] = pem }.ToJsonString();
        var token = TestTokens.Sign(TestTokens.Payload(), new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256);
        Assert.Equal("user", Resolver(secret).Resolve(Bearer(token)).Role);

        // An HS256 token "signed" with the public key text must not pass (the RS/HS confusion attack).
        var confused = TestTokens.Sign(TestTokens.Payload(), key: pem);
        Fails<InvalidJwtError>(() => Resolver(secret).Resolve(Bearer(confused)));
    }

    [Fact]
    public void The_admin_secret_gives_admin_and_then_role_and_user_id_headers_are_the_session()
    {
        var resolver = Resolver();
        Assert.True(resolver.Resolve(Headers(("x-hasura-admin-secret", "admin-secret"))).IsAdmin);

        var userId = Guid.NewGuid().ToString();
        var session = resolver.Resolve(Headers(("x-hasura-admin-secret", "admin-secret"), ("X-Hasura-Role", "user"), ("X-Hasura-User-Id", userId)));
        Assert.Equal("user", session.Role);
        Assert.Equal(userId, session.Variables["x-hasura-user-id"]);
        Assert.False(session.Variables.ContainsKey("x-hasura-admin-secret"));

        Fails<AccessDeniedError>(() => resolver.Resolve(Headers(("x-hasura-admin-secret", "wrong"))));
    }

    [Fact]
    public void No_credentials_give_the_unauthorized_role_when_configured_else_access_denied()
    {
        var session = Resolver(unauthorizedRole: "anonymous").Resolve(Headers(("X-Hasura-Role", "admin")));
        Assert.Equal("anonymous", session.Role);
        Assert.False(session.IsAdmin);
        Fails<AccessDeniedError>(() => Resolver().Resolve(Headers()));
        Fails<AccessDeniedError>(() => Resolver(jwtSecret: null).Resolve(Headers()));
        Assert.Equal("anonymous", Resolver(jwtSecret: null, unauthorizedRole: "anonymous").Resolve(Headers()).Role);
    }

    [Fact]
    public void Array_claims_become_postgres_array_literals()
    {
        var claims = TestTokens.HasuraClaims();
        claims["x-hasura-allowed-ids"] = new JsonArray(1, 2, 3);
        var session = Resolver().Resolve(Bearer(TestTokens.Sign(TestTokens.Payload(claims))));
        Assert.Equal("{\"1\",\"2\",\"3\"}", session.Variables["x-hasura-allowed-ids"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"HS256"}""")]
    [InlineData("""{"type":"HS256","key":"too-short"}""")]
    [InlineData("""{"type":"Ed25519","key":"x"}""")]
    [InlineData("""{"type":"HS256","key":"0123456789abcdef0123456789abcdef","claims_namespace":"a","claims_namespace_path":"$.b"}""")]
    [InlineData("""{"type":"HS256","key":"0123456789abcdef0123456789abcdef","claims_format":"xml"}""")]
    public void A_bad_jwt_secret_is_refused_with_a_message_naming_the_setting(string secret)
    {
        var e = Assert.ThrowsAny<InvalidOperationException>(() => Resolver(secret));
        Assert.Contains("PEREGRINE_JWT_SECRET", e.Message);
    }
}
