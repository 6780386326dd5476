using System.Net;
using OtpNet;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// Wherever a TOTP code is checked (turning MFA on, signing in with a ticket, turning MFA off), wrong codes
/// use up the user's code budget (default 5 per 15 minutes): then even the right code is refused, so a
/// stolen access token or password cannot brute-force the six digits. Turning MFA off also needs the password.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class TotpAttemptLimitTests(PeregrineFixture fx)
{
    private static string Code(string secret) => new OtpNet.Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow);

    /// <summary>A code that is wrong now and for the neighbouring steps the server also accepts.</summary>
    private static string WrongCode(string secret)
    {
        var totp = new OtpNet.Totp(Base32Encoding.ToBytes(secret));
        var valid = new[] { -30, 0, 30 }.Select(s => totp.ComputeTotp(DateTime.UtcNow.AddSeconds(s))).ToHashSet();
        return Enumerable.Range(0, 10).Select(i => $"{i}{i}{i}{i}{i}{i}").First(c => !valid.Contains(c));
    }

    private async Task<(HttpClient Client, string Email, string Access, string Secret)> EnrolledAsync(string what, bool activate)
    {
        var client = fx.Factory.CreateClient();
        var email = NewEmail(what);
        var access = (await SignUpAsync(client, email))["accessToken"]!.GetValue<string>();
        var secret = (await GetAsync(client, "/mfa/totp/generate", access)).Ok()["totpSecret"]!.GetValue<string>();
        if (activate) (await PostAsync(client, "/user/mfa", new { code = Code(secret), activeMfaType = "totp" }, access)).Ok();
        return (client, email, access, secret);
    }

    [Fact]
    public async Task Activating_takes_five_wrong_codes_then_refuses_even_the_right_one()
    {
        var (client, _, access, secret) = await EnrolledAsync("totp-on", activate: false);
        for (var i = 0; i < 5; i++)
            Assert.Equal("invalid-totp", (await PostAsync(client, "/user/mfa", new { code = WrongCode(secret), activeMfaType = "totp" }, access)).Error);
        var refused = await PostAsync(client, "/user/mfa", new { code = Code(secret), activeMfaType = "totp" }, access);
        Assert.Equal((HttpStatusCode.TooManyRequests, "too-many-requests"), (refused.Status, refused.Error));
        Assert.True(refused.Response.Headers.Contains("Retry-After"));
        Assert.Null(await fx.ScalarAsync<string>(
            "SELECT active_mfa_type FROM auth_user_settings s JOIN users u ON u.id = s.user_id WHERE u.email = $1", (await GetAsync(client, "/user", access)).Ok()["email"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_sign_in_code_step_is_limited_and_right_codes_are_not_counted()
    {
        var (client, email, _, secret) = await EnrolledAsync("totp-signin", activate: true);
        async Task<string> TicketAsync() =>
            (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["mfa"]!["ticket"]!.GetValue<string>();

        // Right codes given back: many sign-ins in a row never lock the owner.
        for (var i = 0; i < 6; i++) (await PostAsync(client, "/signin/mfa/totp", new { ticket = await TicketAsync(), otp = Code(secret) })).Ok();

        var ticket = await TicketAsync();
        for (var i = 0; i < 5; i++)
            Assert.Equal("invalid-totp", (await PostAsync(client, "/signin/mfa/totp", new { ticket, otp = WrongCode(secret) })).Error);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostAsync(client, "/signin/mfa/totp", new { ticket, otp = Code(secret) })).Status);
        // A fresh ticket does not reset the budget: it belongs to the user, not to the ticket.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostAsync(client, "/signin/mfa/totp", new { ticket = await TicketAsync(), otp = Code(secret) })).Status);
    }

    [Fact]
    public async Task Turning_mfa_off_needs_the_password_and_its_codes_are_limited_too()
    {
        var (client, email, access, secret) = await EnrolledAsync("totp-off", activate: true);
        var noPassword = await PostAsync(client, "/user/mfa", new { code = Code(secret), activeMfaType = "" }, access);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-request"), (noPassword.Status, noPassword.Error));
        var wrongPassword = await PostAsync(client, "/user/mfa", new { code = Code(secret), activeMfaType = "", password = "not it at all" }, access);
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid-email-password"), (wrongPassword.Status, wrongPassword.Error));

        for (var i = 0; i < 5; i++)
            Assert.Equal("invalid-totp", (await PostAsync(client, "/user/mfa", new { code = WrongCode(secret), activeMfaType = "", password = Password }, access)).Error);
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await PostAsync(client, "/user/mfa", new { code = Code(secret), activeMfaType = "", password = Password }, access)).Status);
        Assert.Equal("totp", await fx.ScalarAsync<string>(
            "SELECT active_mfa_type FROM auth_user_settings s JOIN users u ON u.id = s.user_id WHERE u.email = $1", email));
    }
}
