using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// The Hasura Auth endpoints end to end over HTTP, checked against independent truth: tokens decoded by
/// System.IdentityModel.Tokens.Jwt, rows read back with SQL.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class AuthEndpointsTests(PeregrineFixture fx)
{
    private HttpClient Client() => fx.Factory.CreateClient();

    [Fact]
    public async Task Sign_up_answers_a_session_whose_access_token_carries_the_hasura_claims()
    {
        var email = NewEmail("signup");
        var reply = await PostAsync(Client(), "/signup/email-password", new { email, password = Password, options = new { displayName = "Ada", locale = "fr" } });
        var body = reply.Ok();
        Assert.Null(body["mfa"]);
        var session = body["session"]!;
        Assert.Equal(900, session["accessTokenExpiresIn"]!.GetValue<int>());

        var user = session["user"]!;
        var id = user["id"]!.GetValue<string>();
        Assert.Equal(email, user["email"]!.GetValue<string>());
        Assert.Equal("Ada", user["displayName"]!.GetValue<string>());
        Assert.Equal("fr", user["locale"]!.GetValue<string>());
        Assert.Equal("user", user["defaultRole"]!.GetValue<string>());
        Assert.Equal(["user", "me"], user["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(user["isAnonymous"]!.GetValue<bool>());
        Assert.Null(user["passwordHash"]);

        var jwt = new JwtSecurityTokenHandler().ReadJwtToken(session["accessToken"]!.GetValue<string>());
        Assert.Equal("HS256", jwt.Header.Alg);
        Assert.Equal(id, jwt.Subject);
        Assert.InRange((jwt.ValidTo - DateTime.UtcNow).TotalSeconds, 880, 905);
        var claims = TestTokens.DecodePayload(session["accessToken"]!.GetValue<string>())[TestTokens.Namespace]!;
        Assert.Equal("user", claims["x-hasura-default-role"]!.GetValue<string>());
        Assert.Equal(["user", "me"], claims["x-hasura-allowed-roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(id, claims["x-hasura-user-id"]!.GetValue<string>());

        // The database holds an Argon2id hash, never the password; the refresh token only as its SHA-256.
        var hash = await fx.ScalarAsync<string>("SELECT password_hash FROM users WHERE id = $1", Guid.Parse(id));
        Assert.StartsWith("$argon2id$", hash);
        Assert.DoesNotContain(Password, hash);
        var refresh = session["refreshToken"]!.GetValue<string>();
        Assert.True(Guid.TryParse(refresh, out _));
        var stored = await fx.ScalarAsync<long>("SELECT count(*) FROM auth_refresh_tokens WHERE id = $1 AND token_hash = $2 AND user_id = $3",
            Guid.Parse(session["refreshTokenId"]!.GetValue<string>()), SHA256.HashData(Encoding.UTF8.GetBytes(refresh)), Guid.Parse(id));
        Assert.Equal(1, stored);
        Assert.Equal(0, await fx.ScalarAsync<long>("SELECT count(*) FROM auth_refresh_tokens WHERE token_hash = $1", Encoding.UTF8.GetBytes(refresh)));
    }

    [Fact]
    public async Task The_whole_life_of_a_session()
    {
        var client = Client();
        var email = NewEmail("life");
        await SignUpAsync(client, email);

        // Sign in; the access token works against GraphQL as role user.
        var session = (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["session"]!;
        var access = session["accessToken"]!.GetValue<string>();
        var userId = session["user"]!["id"]!.GetValue<string>();
        var graphql = fx.Factory.CreateClient();
        graphql.DefaultRequestHeaders.Authorization = new("Bearer", access);
        var data = (await fx.GraphQLAsync("{ phenom_reports(limit: 1) { id } }", client: graphql)).Data();
        Assert.Single(data["phenom_reports"]!.AsArray());

        // GET /user names the same user.
        var me = (await GetAsync(client, "/user", access)).Ok();
        Assert.Equal(userId, me["id"]!.GetValue<string>());
        Assert.Equal(email, me["email"]!.GetValue<string>());

        // Refresh rotates: a new refresh token, the old one refused from then on.
        var first = session["refreshToken"]!.GetValue<string>();
        var refreshed = (await PostAsync(client, "/token", new { refreshToken = first })).Ok();
        Assert.NotNull(refreshed["accessToken"]);  // the session itself, not wrapped in {session}
        Assert.Null(refreshed["session"]);
        var second = refreshed["refreshToken"]!.GetValue<string>();
        Assert.NotEqual(first, second);
        Assert.Equal(userId, refreshed["user"]!["id"]!.GetValue<string>());
        var again = await PostAsync(client, "/token", new { refreshToken = first });
        Assert.Equal(HttpStatusCode.Unauthorized, again.Status);
        Assert.Equal("invalid-refresh-token", again.Error);

        // Presenting the spent token revoked the family: its successor is dead too (theft detection).
        Assert.Equal("invalid-refresh-token", (await PostAsync(client, "/token", new { refreshToken = second })).Error);

        // A fresh sign-in, then sign out: that refresh token stops working.
        var third = (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["session"]!["refreshToken"]!.GetValue<string>();
        Assert.Equal("OK", (await PostAsync(client, "/signout", new { refreshToken = third })).Ok().GetValue<string>());
        Assert.Equal("invalid-refresh-token", (await PostAsync(client, "/token", new { refreshToken = third })).Error);
        Assert.Equal(0, await fx.ScalarAsync<long>("SELECT count(*) FROM auth_refresh_tokens WHERE token_hash = $1",
            SHA256.HashData(Encoding.UTF8.GetBytes(third))));
        // Only the sign-up's session is left: the stolen family and the signed-out one are gone.
        Assert.Equal(1, await fx.ScalarAsync<long>("SELECT count(*) FROM auth_refresh_tokens WHERE user_id = $1", Guid.Parse(userId)));
    }

    [Fact]
    public async Task Sign_out_all_ends_every_session_of_the_user_and_needs_a_signed_in_user()
    {
        var client = Client();
        var email = NewEmail("all");
        var a = await SignUpAsync(client, email);
        var b = (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["session"]!;

        var anonymous = await PostAsync(client, "/signout", new { all = true });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("unauthenticated-user", anonymous.Error);

        (await PostAsync(client, "/signout", new { all = true }, b["accessToken"]!.GetValue<string>())).Ok();
        Assert.Equal("invalid-refresh-token", (await PostAsync(client, "/token", new { refreshToken = a["refreshToken"]!.GetValue<string>() })).Error);
        Assert.Equal("invalid-refresh-token", (await PostAsync(client, "/token", new { refreshToken = b["refreshToken"]!.GetValue<string>() })).Error);
    }

    [Fact]
    public async Task Wrong_credentials_and_duplicate_emails_get_hasura_auth_errors()
    {
        var client = Client();
        var email = NewEmail("wrong");
        await SignUpAsync(client, email);

        var wrong = await PostAsync(client, "/signin/email-password", new { email, password = "not the password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(401, wrong.Body!["status"]!.GetValue<int>());
        Assert.Equal("invalid-email-password", wrong.Error);
        Assert.Equal("Incorrect email or password", wrong.Body!["message"]!.GetValue<string>());

        Assert.Equal("invalid-email-password", (await PostAsync(client, "/signin/email-password", new { email = NewEmail("nobody"), password = Password })).Error);

        var duplicate = await PostAsync(client, "/signup/email-password", new { email = email.ToUpperInvariant(), password = Password });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("email-already-in-use", duplicate.Error);
    }

    [Fact]
    public async Task Bad_input_is_a_clear_error_and_writes_nothing()
    {
        var client = Client();
        var before = await fx.ScalarAsync<long>("SELECT count(*) FROM users");

        Assert.Equal("invalid-request", (await PostRawAsync(client, "/signup/email-password", "{not json")).Error);
        Assert.Equal("invalid-request", (await PostRawAsync(client, "/signin/email-password", "")).Error);
        Assert.Equal("invalid-request", (await PostAsync(client, "/signup/email-password", new { email = "x'; DROP TABLE users; --", password = Password })).Error);
        Assert.Equal("password-too-short", (await PostAsync(client, "/signup/email-password", new { email = NewEmail("short"), password = "abc" })).Error);
        var huge = await PostAsync(client, "/signup/email-password", new { email = NewEmail("huge"), password = new string('p', 10_000) });
        Assert.Equal(HttpStatusCode.BadRequest, huge.Status);
        Assert.Equal("invalid-request", huge.Error);
        Assert.Equal("invalid-email-password", (await PostAsync(client, "/signin/email-password", new { email = NewEmail("huge"), password = new string('p', 10_000) })).Error);
        Assert.Equal("role-not-allowed", (await PostAsync(client, "/signup/email-password",
            new { email = NewEmail("role"), password = Password, options = new { allowedRoles = new[] { "admin" } } })).Error);
        Assert.Equal("default-role-must-be-in-allowed-roles", (await PostAsync(client, "/signup/email-password",
            new { email = NewEmail("role"), password = Password, options = new { allowedRoles = new[] { "me" }, defaultRole = "user" } })).Error);
        Assert.Equal("invalid-request", (await PostAsync(client, "/token", new { })).Error);

        Assert.Equal(before, await fx.ScalarAsync<long>("SELECT count(*) FROM users"));
    }

    [Fact]
    public async Task Signing_up_with_narrower_roles_issues_tokens_with_exactly_those()
    {
        var session = await SignUpAsync(Client(), NewEmail("me"), options: new { allowedRoles = new[] { "me" }, defaultRole = "me" });
        var claims = TestTokens.DecodePayload(session["accessToken"]!.GetValue<string>())[TestTokens.Namespace]!;
        Assert.Equal("me", claims["x-hasura-default-role"]!.GetValue<string>());
        Assert.Equal(["me"], claims["x-hasura-allowed-roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task User_endpoints_need_a_valid_access_token()
    {
        var client = Client();
        Assert.Equal("unauthenticated-user", (await GetAsync(client, "/user")).Error);
        var expired = TestTokens.Sign(TestTokens.Payload(TestTokens.HasuraClaims(), TimeSpan.FromMinutes(-1)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/user", expired)).Status);
        var forged = TestTokens.Sign(TestTokens.Payload(), key: "someone-elses-key-someone-elses-key-!!");
        Assert.Equal("unauthenticated-user", (await GetAsync(client, "/user", forged)).Error);
    }

    [Fact]
    public async Task Token_verify_accepts_our_tokens_and_refuses_others()
    {
        var client = Client();
        var session = await SignUpAsync(client, NewEmail("verify"));
        var access = session["accessToken"]!.GetValue<string>();
        Assert.Equal("OK", (await PostAsync(client, "/token/verify", new { token = access })).Ok().GetValue<string>());
        Assert.Equal("OK", (await PostAsync(client, "/token/verify", new { }, access)).Ok().GetValue<string>());
        var tampered = TestTokens.Tampered(access, TestTokens.Payload(TestTokens.HasuraClaims("admin", ["admin"])));
        var refused = await PostAsync(client, "/token/verify", new { token = tampered });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task Changing_the_password_makes_the_old_one_fail_and_the_new_one_work()
    {
        var client = Client();
        var email = NewEmail("pw");
        var session = await SignUpAsync(client, email);
        const string newPassword = "an entirely new passphrase";
        Assert.Equal("unauthenticated-user", (await PostAsync(client, "/user/password", new { newPassword })).Error);
        var access = session["accessToken"]!.GetValue<string>();
        // The access token alone is not enough: the current password must come with it.
        var missing = await PostAsync(client, "/user/password", new { newPassword }, access);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-request"), (missing.Status, missing.Error));
        var wrong = await PostAsync(client, "/user/password", new { newPassword, oldPassword = "not the password" }, access);
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid-email-password"), (wrong.Status, wrong.Error));
        (await PostAsync(client, "/user/password", new { newPassword, oldPassword = Password }, access)).Ok();

        Assert.Equal("invalid-email-password", (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Error);
        (await PostAsync(client, "/signin/email-password", new { email, password = newPassword })).Ok();
    }

    [Fact]
    public async Task Access_tokens_are_accepted_by_the_graphql_endpoint_with_the_role_header()
    {
        var session = await SignUpAsync(Client(), NewEmail("role"));
        var client = fx.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", session["accessToken"]!.GetValue<string>());
        client.DefaultRequestHeaders.Add("X-Hasura-Role", "admin");
        Assert.Equal("access-denied", (await fx.GraphQLAsync("{ categories { name } }", client: client)).ErrorCode());

        var expired = fx.Factory.CreateClient();
        expired.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Sign(TestTokens.Payload(lifetime: TimeSpan.FromMinutes(-5))));
        var response = await fx.GraphQLAsync("{ categories { name } }", client: expired);
        Assert.Equal("invalid-jwt", response.ErrorCode());
        Assert.Equal("Could not verify JWT: JWTExpired", response["errors"]![0]!["message"]!.GetValue<string>());
    }
}
