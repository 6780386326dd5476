using System.Security.Cryptography;
using System.Text;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>A password change ends every other session of the user (their refresh tokens die) and keeps the caller's.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class PasswordChangeSessionsTests(PeregrineFixture fx)
{
    [Fact]
    public async Task Changing_the_password_revokes_every_other_refresh_token_and_keeps_the_callers()
    {
        var client = fx.Factory.CreateClient();
        var email = NewEmail("sessions");
        var a = await SignUpAsync(client, email);
        var b = (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["session"]!;
        var c = (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["session"]!;
        // The caller's session has already been refreshed once: its family, not just its first token, is what is kept.
        var bNext = (await PostAsync(client, "/token", new { refreshToken = b["refreshToken"]!.GetValue<string>() })).Ok();
        var userId = Guid.Parse(a["user"]!["id"]!.GetValue<string>());

        (await PostAsync(client, "/user/password", new { newPassword = "a whole new passphrase", oldPassword = Password },
            bNext["accessToken"]!.GetValue<string>())).Ok();

        Assert.Equal("invalid-refresh-token", (await PostAsync(client, "/token", new { refreshToken = a["refreshToken"]!.GetValue<string>() })).Error);
        Assert.Equal("invalid-refresh-token", (await PostAsync(client, "/token", new { refreshToken = c["refreshToken"]!.GetValue<string>() })).Error);
        // What is left in the database: the caller's live token only.
        Assert.Equal(1, await fx.ScalarAsync<long>("SELECT count(*) FROM auth_refresh_tokens WHERE user_id = $1 AND used_at IS NULL", userId));
        Assert.Equal(1, await fx.ScalarAsync<long>("SELECT count(*) FROM auth_refresh_tokens WHERE user_id = $1 AND token_hash = $2",
            userId, SHA256.HashData(Encoding.UTF8.GetBytes(bNext["refreshToken"]!.GetValue<string>()))));
        (await PostAsync(client, "/token", new { refreshToken = bNext["refreshToken"]!.GetValue<string>() })).Ok();
    }

    [Fact]
    public async Task A_token_from_another_issuer_without_a_session_id_ends_every_session()
    {
        var client = fx.Factory.CreateClient();
        var email = NewEmail("sessions-external");
        var a = await SignUpAsync(client, email);
        var userId = a["user"]!["id"]!.GetValue<string>();
        var external = TestTokens.Sign(TestTokens.Payload(TestTokens.HasuraClaims(userId: userId)));
        (await PostAsync(client, "/user/password", new { newPassword = "a whole new passphrase", oldPassword = Password }, external)).Ok();
        Assert.Equal("invalid-refresh-token", (await PostAsync(client, "/token", new { refreshToken = a["refreshToken"]!.GetValue<string>() })).Error);
        Assert.Equal(0, await fx.ScalarAsync<long>("SELECT count(*) FROM auth_refresh_tokens WHERE user_id = $1", Guid.Parse(userId)));
    }
}
