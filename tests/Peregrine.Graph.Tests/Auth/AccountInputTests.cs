using System.Net;
using System.Text;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// Input that used to break accounts is refused at the door with a 400 (NUL characters, unpaired surrogates,
/// metadata nested 61 levels), and nothing already stored can make later answers about the account fail.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class AccountInputTests(PeregrineFixture fx)
{
    private static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);

    public static TheoryData<string, string> Hostile => new()
    {
        { "displayName NUL", """{"displayName":"Ada\u0000"}""" },
        { "displayName control", """{"displayName":"Ada\u0007Lovelace"}""" },
        { "locale NUL", """{"locale":"e\u0000"}""" },
        { "locale digits", """{"locale":"12"}""" },
        { "metadata value NUL", """{"metadata":{"bio":"x\u0000y"}}""" },
        { "metadata key NUL", """{"metadata":{"b\u0000io":"x"}}""" },
        { "metadata lone surrogate", """{"metadata":{"bio":"\ud800"}}""" },
        { "metadata nested 61 levels", "{\"metadata\":" + Nested(61) + "}" },
        { "metadata nested 11 levels", "{\"metadata\":" + Nested(11) + "}" },
        { "metadata array deep", "{\"metadata\":{\"a\":" + new string('[', 11) + new string(']', 11) + "}}" },
        { "metadata too large", "{\"metadata\":{\"bio\":\"" + new string('x', 17 * 1024) + "\"}}" },
        { "metadata not an object", """{"metadata":[1,2]}""" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Hostile_profile_input_is_a_400_and_creates_no_account(string what, string optionsJson)
    {
        var email = NewEmail("hostile");
        var body = $$"""{"email":"{{email}}","password":"{{Password}}","options":{{optionsJson}}}""";
        var reply = await PostRawAsync(fx.Factory.CreateClient(), "/signup/email-password", body);
        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{what}: {(int)reply.Status} {reply.Body?.ToJsonString()}");
        Assert.Equal("invalid-request", reply.Error);
        Assert.Equal(0, await fx.ScalarAsync<long>("SELECT count(*) FROM users WHERE email = $1", email));
    }

    [Fact]
    public async Task Ten_levels_of_metadata_and_ordinary_text_are_accepted()
    {
        var email = NewEmail("fine");
        var body = $$$"""{"email":"{{{email}}}","password":"{{{Password}}}","options":{"displayName":"Zoë 🦅","locale":"FR","metadata":{{{Nested(10)}}}}}""";
        var user = (await PostRawAsync(fx.Factory.CreateClient(), "/signup/email-password", body)).Ok()["session"]!["user"]!;
        Assert.Equal("Zoë 🦅", user["displayName"]!.GetValue<string>());
        Assert.Equal("fr", user["locale"]!.GetValue<string>());
        Assert.Equal(Nested(10), user["metadata"]!.ToJsonString());
    }

    [Fact]
    public async Task Metadata_stored_deeper_than_a_response_can_carry_does_not_break_the_account()
    {
        var client = fx.Factory.CreateClient();
        var email = NewEmail("deep");
        var session = await SignUpAsync(client, email);
        var userId = Guid.Parse(session["user"]!["id"]!.GetValue<string>());
        // Written behind the API's back, as an admin's SQL could.
        await fx.ScalarAsync<int>("UPDATE auth_user_settings SET metadata = $2::jsonb WHERE user_id = $1", userId, Nested(200));

        var signedIn = (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["session"]!;
        Assert.Equal("{}", signedIn["user"]!["metadata"]!.ToJsonString());
        Assert.Equal(email, (await GetAsync(client, "/user", signedIn["accessToken"]!.GetValue<string>())).Ok()["email"]!.GetValue<string>());
        (await PostAsync(client, "/token", new { refreshToken = signedIn["refreshToken"]!.GetValue<string>() })).Ok();
    }

    public static TheoryData<string?> NotJson => new() { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null };

    [Theory]
    [MemberData(nameof(NotJson))]
    public async Task Auth_bodies_must_be_json_so_a_cross_site_form_cannot_sign_anyone_in(string? contentType)
    {
        var client = fx.Factory.CreateClient();
        var email = NewEmail("csrf");
        await SignUpAsync(client, email);
        foreach (var path in new[] { "/signin/email-password", "/signup/email-password" })
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"email":"{{email}}","password":"{{Password}}"}"""));
            if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await client.PostAsync(path, content);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(415, body["status"]!.GetValue<int>());
            Assert.Equal("invalid-request", body["error"]!.GetValue<string>());
            Assert.NotNull(body["message"]);
        }
        // JSON with a charset parameter is JSON.
        var ok = new StringContent($$"""{"email":"{{email}}","password":"{{Password}}"}""", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/signin/email-password", ok)).StatusCode);
    }
}
