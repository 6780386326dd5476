using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Peregrine.Domain.Seeding;
using Peregrine.Graph.Tests.Auth;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>
/// Device credentials end to end over HTTP: an owner creates them through GraphQL, the device exchanges them at
/// <c>POST /oauth/token</c> (form body and HTTP Basic) for a JWT the GraphQL endpoint accepts as role <c>device</c>,
/// and revoking them stops new tokens. What is stored is checked with SQL.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class DeviceCredentialsTests(PeregrineFixture fx)
{
    private const string Create = "mutation($d: uuid!) { create_device_credentials(device_id: $d) { client_id client_secret device_id created_at revoked_at } }";

    private async Task<(string ClientId, string Secret)> CreateAsync(HttpClient owner, Guid device)
    {
        // The role's schema is built on its first request; on a loaded machine that alone can pass the validation budget.
        await fx.GraphQLAsync("{ __typename }", client: owner);
        var r = await fx.GraphQLAsync(Create, new { d = device }, owner);
        var c = r.Data()["create_device_credentials"]!;
        Assert.Equal(device.ToString(), (string?)c["device_id"]);
        Assert.Null(c["revoked_at"]);
        return ((string)c["client_id"]!, (string)c["client_secret"]!);
    }

    private async Task<HttpResponseMessage> TokenAsync(IEnumerable<KeyValuePair<string, string>> form, AuthenticationHeaderValue? auth = null)
    {
        using var client = fx.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = auth;
        return await client.SendAsync(request);
    }

    private static Dictionary<string, string> Form(string? id, string? secret, string grant = "client_credentials")
    {
        var f = new Dictionary<string, string> { ["grant_type"] = grant };
        if (id is not null) f["client_id"] = id;
        if (secret is not null) f["client_secret"] = secret;
        return f;
    }

    private static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(id) + ":" + Uri.EscapeDataString(secret))));

    private static async Task<JsonObject> BodyAsync(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();

    [Fact]
    public async Task An_owner_creates_credentials_the_device_gets_a_device_token_and_revoking_stops_new_ones()
    {
        var (alice, bob, _) = await SensorUsers.LoadAsync(fx);
        using var owner = fx.ClientAs("user", alice);
        var (clientId, secret) = await CreateAsync(owner, DemoSensors.TerrariumClimateId);

        // Stored hashed: the secret itself is nowhere in the table.
        var stored = await fx.ScalarAsync<string>("SELECT secret_hash FROM device_credentials WHERE client_id = $1", clientId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), stored);
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM device_credentials WHERE position($1 in secret_hash || client_id) > 0", secret));
        // The table is in no schema.
        Assert.Equal("validation-failed", (await fx.GraphQLAsync("{ device_credentials { client_id } }")).ErrorCode());

        using var token = await TokenAsync(Form(clientId, secret));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal("no-store", token.Headers.CacheControl?.ToString());
        var body = await BodyAsync(token);
        Assert.Equal("Bearer", (string?)body["token_type"]);
        Assert.Equal(3600, (int)body["expires_in"]!);
        var claims = TestTokens.DecodePayload((string)body["access_token"]!)["https://hasura.io/jwt/claims"]!;
        Assert.Equal("device", (string?)claims["x-hasura-default-role"]);
        Assert.Equal(DemoSensors.TerrariumClimateId.ToString(), (string?)claims["x-hasura-device-id"]);
        Assert.Null(claims["x-hasura-user-id"]);

        // The token works at the GraphQL endpoint as the device: its own row and rules, nothing else.
        using var device = fx.Factory.CreateClient();
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body["access_token"]!);
        var seen = (await fx.GraphQLAsync("{ devices { id } alarm_rules { id } }", client: device)).Data();
        Assert.Equal([DemoSensors.TerrariumClimateId.ToString()], seen["devices"]!.AsArray().Select(d => (string)d!["id"]!));
        Assert.Contains(DemoSensors.TerrariumHotRuleId.ToString(), seen["alarm_rules"]!.AsArray().Select(d => (string)d!["id"]!));
        Assert.DoesNotContain(DemoSensors.StationHumidityRuleId.ToString(), seen["alarm_rules"]!.AsArray().Select(d => (string)d!["id"]!));
        Assert.Equal("validation-failed", (await fx.GraphQLAsync("{ users { id } }", client: device)).ErrorCode());
        Assert.Equal("validation-failed", (await fx.GraphQLAsync(Create, new { d = DemoSensors.TerrariumClimateId }, device)).ErrorCode());

        // HTTP Basic works too.
        using (var viaBasic = await TokenAsync(Form(null, null), Basic(clientId, secret)))
            Assert.Equal(HttpStatusCode.OK, viaBasic.StatusCode);

        // Another user can neither revoke nor create for this device.
        using var other = fx.ClientAs("user", bob);
        var notTheirs = await fx.GraphQLAsync("mutation($c: String!) { revoke_device_credentials(client_id: $c) { client_id } }", new { c = clientId }, other);
        Assert.Null(notTheirs.Data()["revoke_device_credentials"]);
        Assert.Null(await fx.ScalarAsync<DateTime?>("SELECT revoked_at FROM device_credentials WHERE client_id = $1", clientId));
        var before = await fx.ScalarAsync<long>("SELECT count(*) FROM device_credentials");
        Assert.Equal("permission-error", (await fx.GraphQLAsync(Create, new { d = DemoSensors.TerrariumClimateId }, other)).ErrorCode());
        Assert.Equal("permission-error", (await fx.GraphQLAsync(Create, new { d = Guid.NewGuid() }, owner)).ErrorCode());
        Assert.Equal(before, await fx.ScalarAsync<long>("SELECT count(*) FROM device_credentials"));

        var revoked = await fx.GraphQLAsync("mutation($c: String!) { revoke_device_credentials(client_id: $c) { client_id revoked_at client_secret } }", new { c = clientId }, owner);
        Assert.NotNull((string?)revoked.Data()["revoke_device_credentials"]!["revoked_at"]);
        Assert.Null(revoked.Data()["revoke_device_credentials"]!["client_secret"]);
        Assert.NotNull(await fx.ScalarAsync<DateTime?>("SELECT revoked_at FROM device_credentials WHERE client_id = $1", clientId));
        using var afterRevoke = await TokenAsync(Form(clientId, secret));
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Equal("invalid_client", (string?)(await BodyAsync(afterRevoke))["error"]);
    }

    [Fact]
    public async Task Token_errors_follow_rfc_6749()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        using var owner = fx.ClientAs("user", alice);
        var (clientId, secret) = await CreateAsync(owner, DemoSensors.BaskingProbeId);

        async Task Expect(HttpResponseMessage r, HttpStatusCode status, string error)
        {
            using (r)
            {
                Assert.Equal(status, r.StatusCode);
                Assert.Equal(error, (string?)(await BodyAsync(r))["error"]);
                Assert.Equal("no-store", r.Headers.CacheControl?.ToString());
                if (status == HttpStatusCode.Unauthorized) Assert.NotEmpty(r.Headers.WwwAuthenticate);
            }
        }

        await Expect(await TokenAsync(Form(clientId, secret + "x")), HttpStatusCode.Unauthorized, "invalid_client");
        await Expect(await TokenAsync(Form(null, null), Basic(clientId, "wrong")), HttpStatusCode.Unauthorized, "invalid_client");
        await Expect(await TokenAsync(Form("dev_nobody", secret)), HttpStatusCode.Unauthorized, "invalid_client");
        await Expect(await TokenAsync(Form(clientId, null)), HttpStatusCode.Unauthorized, "invalid_client");
        await Expect(await TokenAsync(Form(clientId, secret, grant: "password")), HttpStatusCode.BadRequest, "unsupported_grant_type");
        await Expect(await TokenAsync(new Dictionary<string, string> { ["client_id"] = clientId, ["client_secret"] = secret }), HttpStatusCode.BadRequest, "invalid_request");
        await Expect(await TokenAsync(Form(clientId, secret), Basic(clientId, secret)), HttpStatusCode.BadRequest, "invalid_request");

        using var client = fx.Factory.CreateClient();
        await Expect(await client.PostAsync("/oauth/token", new StringContent($"{{\"grant_type\":\"client_credentials\",\"client_id\":\"{clientId}\"}}", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_request");
        await Expect(await client.PostAsync("/oauth/token", new StringContent("grant_type=client_credentials&grant_type=client_credentials", Encoding.UTF8, "application/x-www-form-urlencoded")),
            HttpStatusCode.BadRequest, "invalid_request");
        await Expect(await client.PostAsync("/oauth/token", new StringContent("grant_type=client_credentials&pad=" + new string('a', 10_000), Encoding.UTF8, "application/x-www-form-urlencoded")),
            HttpStatusCode.BadRequest, "invalid_request");

        // Still good after all that: failures never lock out the right secret here (limits are raised in this fixture).
        using var ok = await TokenAsync(Form(clientId, secret));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
