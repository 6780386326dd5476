using System.Net;
using OtpNet;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>TOTP two-factor end to end, with codes computed independently by Otp.NET as an authenticator app would.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class MfaTotpTests(PeregrineFixture fx)
{
    private static string Code(string secret, int stepOffset = 0) =>
        new OtpNet.Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepOffset));

    [Fact]
    public async Task Generate_enable_sign_in_with_a_ticket_and_disable()
    {
        var client = fx.Factory.CreateClient();
        var email = NewEmail("mfa");
        var session = await SignUpAsync(client, email);
        var access = session["accessToken"]!.GetValue<string>();
        var userId = Guid.Parse(session["user"]!["id"]!.GetValue<string>());

        Assert.Equal("unauthenticated-user", (await GetAsync(client, "/mfa/totp/generate")).Error);
        var generated = (await GetAsync(client, "/mfa/totp/generate", access)).Ok();
        var secret = generated["totpSecret"]!.GetValue<string>();
        Assert.Equal(20, Base32Encoding.ToBytes(secret).Length);
        var png = generated["imageUrl"]!.GetValue<string>();
        Assert.StartsWith("data:image/png;base64,", png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], Convert.FromBase64String(png["data:image/png;base64,".Length..])[..4]);
        var otpauth = generated["otpauthUrl"]!.GetValue<string>();
        Assert.StartsWith("otpauth://totp/", otpauth);
        Assert.Contains("secret=" + secret, otpauth);
        // Stored sealed (AES-GCM under the configured key, the user's id as associated data), never as it is.
        var stored = await fx.ScalarAsync<string>("SELECT totp_secret FROM auth_user_settings WHERE user_id = $1", userId);
        Assert.DoesNotContain(secret, stored);
        Assert.Equal(secret, TotpSecretOracle.Open(PeregrineFixture.EncryptionKey, userId, stored!));
        Assert.Null(await fx.ScalarAsync<string>("SELECT active_mfa_type FROM auth_user_settings WHERE user_id = $1", userId));

        // Turning it on needs a current code from the new secret.
        var wrong = await PostAsync(client, "/user/mfa", new { code = "000000", activeMfaType = "totp" }, access);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal("invalid-totp", wrong.Error);
        (await PostAsync(client, "/user/mfa", new { code = Code(secret), activeMfaType = "totp" }, access)).Ok();
        Assert.Equal("totp", await fx.ScalarAsync<string>("SELECT active_mfa_type FROM auth_user_settings WHERE user_id = $1", userId));
        Assert.Equal("totp-already-active", (await GetAsync(client, "/mfa/totp/generate", access)).Error);

        // The password alone now answers a ticket, not a session.
        var first = (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok();
        Assert.Null(first["session"]);
        var ticket = first["mfa"]!["ticket"]!.GetValue<string>();
        Assert.StartsWith("mfaTotp:", ticket);

        Assert.Equal("invalid-totp", (await PostAsync(client, "/signin/mfa/totp", new { ticket, otp = "123456" == Code(secret) ? "654321" : "123456" })).Error);
        Assert.Equal("invalid-ticket", (await PostAsync(client, "/signin/mfa/totp", new { ticket = "mfaTotp:" + Guid.NewGuid(), otp = Code(secret) })).Error);
        var second = (await PostAsync(client, "/signin/mfa/totp", new { ticket, otp = Code(secret) })).Ok();
        Assert.Null(second["mfa"]);
        Assert.Equal(userId.ToString(), second["session"]!["user"]!["id"]!.GetValue<string>());
        Assert.Equal("totp", second["session"]!["user"]!["activeMfaType"]!.GetValue<string>());
        // A ticket is spent once.
        Assert.Equal("invalid-ticket", (await PostAsync(client, "/signin/mfa/totp", new { ticket, otp = Code(secret) })).Error);

        // Turning it off also needs a code; afterwards the password alone signs in again.
        Assert.Equal("invalid-totp", (await PostAsync(client, "/user/mfa", new { code = "12", activeMfaType = "", password = Password }, access)).Error);
        (await PostAsync(client, "/user/mfa", new { code = Code(secret, stepOffset: -1), activeMfaType = "", password = Password }, access)).Ok();
        Assert.NotNull((await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["session"]!["accessToken"]);
        Assert.Equal("mfa-type-not-found", (await PostAsync(client, "/user/mfa", new { code = Code(secret), activeMfaType = "" }, access)).Error);
    }

    [Fact]
    public async Task Enabling_without_a_generated_secret_is_refused()
    {
        var client = fx.Factory.CreateClient();
        var session = await SignUpAsync(client, NewEmail("nosecret"));
        var reply = await PostAsync(client, "/user/mfa", new { code = "123456", activeMfaType = "totp" }, session["accessToken"]!.GetValue<string>());
        Assert.Equal("no-totp-secret", reply.Error);
    }
}
