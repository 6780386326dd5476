using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Peregrine.Graph.Auth.Jwt;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>Auth under settings other than the shared host's: rate limits, an unauthorized role, RS256 keys and a JWKS URL.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class AuthHostVariantsTests(PeregrineFixture fx)
{
    // Without Redis: hosts of one database share their limits' counters through Redis (that sharing is
    // SharedLimitsTests' subject), and these hosts' budgets must start empty.
    private WebApplicationFactory<Program> Host(params (string Key, string Value)[] settings) =>
        fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_REDIS_URL", "");
            foreach (var (k, v) in settings) b.UseSetting(k, v);
        });

    [Fact]
    public async Task Sign_in_attempts_beyond_the_per_ip_budget_get_429_with_retry_after()
    {
        await using var host = Host(("PEREGRINE_AUTH_SIGNIN_PER_IP_PER_MINUTE", "3"));
        var client = host.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal("invalid-email-password", (await PostAsync(client, "/signin/email-password", new { email = NewEmail("ip"), password = Password })).Error);
        var refused = await PostAsync(client, "/signin/email-password", new { email = NewEmail("ip"), password = Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("too-many-requests", refused.Error);
        Assert.True(int.Parse(refused.Response.Headers.GetValues("Retry-After").Single()) is > 0 and <= 60);
    }

    [Fact]
    public async Task Password_guesses_beyond_the_per_account_budget_get_429_for_that_account_only()
    {
        await using var host = Host(("PEREGRINE_AUTH_SIGNIN_PER_ACCOUNT", "2"));
        var client = host.CreateClient();
        var victim = NewEmail("victim");
        await SignUpAsync(client, victim);
        for (var i = 0; i < 2; i++)
            Assert.Equal("invalid-email-password", (await PostAsync(client, "/signin/email-password", new { email = victim, password = "guess " + i })).Error);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostAsync(client, "/signin/email-password", new { email = victim, password = Password })).Status);
        Assert.Equal("invalid-email-password", (await PostAsync(client, "/signin/email-password", new { email = NewEmail("other"), password = Password })).Error);
    }

    [Theory]
    [InlineData("PEREGRINE_TRUSTED_PROXIES", "10.0.0.0/8, not-an-address")]
    [InlineData("PEREGRINE_ENCRYPTION_KEY", "too-short")]
    [InlineData("PEREGRINE_ENCRYPTION_OLD_KEYS", "AAAA")]
    [InlineData("PEREGRINE_CORS_DOMAIN", "app.example.com")]
    public void A_malformed_security_setting_stops_start_up_naming_the_variable(string variable, string value)
    {
        // What Program's start-up check builds before listening; the real process then prints this one line
        // and exits 2 (tests/node/faults/test/settings.test.js). A test host cannot reach Program's catch.
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [variable] = value }).Build();
        var e = Assert.Throws<Peregrine.Graph.Configuration.InvalidSettingException>(() =>
        {
            Peregrine.Graph.Auth.AuthOptions.FromConfiguration(config);
            Peregrine.Graph.Auth.Mfa.TotpSecretCipher.FromConfiguration(config);
            Peregrine.Graph.Hosting.Browser.CorsPolicy.FromConfiguration(config, isDevelopment: false);
        });
        Assert.StartsWith($"invalid setting {variable}=", e.Message);
        if (variable.Contains("KEY")) Assert.DoesNotContain(value, e.Message);
    }

    [Fact]
    public async Task Without_credentials_the_unauthorized_role_is_the_session()
    {
        await using var host = Host(("PEREGRINE_UNAUTHORIZED_ROLE", "anonymous"));
        var response = await fx.GraphQLAsync("{ __typename }", client: host.CreateClient());
        Assert.Equal("query_root", response.Data()["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_RS256_secret_with_a_signing_key_issues_tokens_that_its_jwks_and_a_jwk_url_host_verify()
    {
        using var rsa = RSA.Create(2048);
        var secret = new JsonObject
        {
            ["type"] = "RS256",
            ["key"] = rsa.ExportSubjectPublicKeyInfoPem(),
            ["signing_key"] = rsa.ExportPkcs8PrivateKeyPem(),
        }.ToJsonString();
        await using var issuer = Host(("PEREGRINE_JWT_SECRET", secret));
        var session = await SignUpAsync(issuer.CreateClient(), NewEmail("rs256"));
        var access = session["accessToken"]!.GetValue<string>();

        // The JWKS document lists the public key; verify the token with it, independently of Peregrine.
        var jwks = new JsonWebKeySet((await GetAsync(issuer.CreateClient(), "/.well-known/jwks.json")).Ok().ToJsonString());
        var key = Assert.Single(jwks.Keys);
        Assert.Equal("RS256", key.Alg);
        Assert.Null(key.D); // never the private part
        var check = await new JsonWebTokenHandler().ValidateTokenAsync(access, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(), ValidateAudience = false, ValidateIssuer = false,
        });
        Assert.True(check.IsValid, check.Exception?.Message);
        Assert.Equal("RS256", ((JsonWebToken)check.SecurityToken).Alg);

        // A second host configured only with jwk_url (pointing at the first) accepts the token for GraphQL.
        await using var consumer = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_JWT_SECRET", """{"jwk_url":"http://issuer/.well-known/jwks.json"}""");
            b.ConfigureServices(s => s.AddHttpClient(nameof(JwksCache)).ConfigurePrimaryHttpMessageHandler(() => issuer.Server.CreateHandler()));
        });
        var client = consumer.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", access);
        Assert.Equal("query_root", (await fx.GraphQLAsync("{ __typename }", client: client)).Data()["__typename"]!.GetValue<string>());

        // An HS256 host's JWKS is empty: a shared secret is never published.
        Assert.Empty((await GetAsync(fx.Factory.CreateClient(), "/.well-known/jwks.json")).Ok()["keys"]!.AsArray());
    }
}
