using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>Expiry of refresh tokens, access tokens and MFA tickets, on a host whose clock the test moves.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class TokenLifetimeTests(PeregrineFixture fx)
{
    [Fact]
    public async Task Refresh_tokens_die_after_30_days_and_access_tokens_after_15_minutes()
    {
        var clock = new ShiftedClock();
        await using var host = fx.Factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock)));
        var client = host.CreateClient();
        var session = await SignUpAsync(client, NewEmail("clock"));

        // 29 days later the refresh token still works (and rotates, with a fresh 30 days).
        clock.Offset = TimeSpan.FromDays(29);
        var next = (await PostAsync(client, "/token", new { refreshToken = session["refreshToken"]!.GetValue<string>() })).Ok();

        // 31 days after that rotation it is dead.
        clock.Offset = TimeSpan.FromDays(29 + 31);
        var late = await PostAsync(client, "/token", new { refreshToken = next["refreshToken"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.Unauthorized, late.Status);
        Assert.Equal("invalid-refresh-token", late.Error);

        // An access token issued 16 minutes ago (by the host's clock) is expired for the real one.
        clock.Offset = TimeSpan.FromMinutes(-16);
        var email = NewEmail("stale");
        var stale = await SignUpAsync(client, email);
        var graphql = fx.Factory.CreateClient();
        graphql.DefaultRequestHeaders.Authorization = new("Bearer", stale["accessToken"]!.GetValue<string>());
        Assert.Equal("invalid-jwt", (await fx.GraphQLAsync("{ __typename }", client: graphql)).ErrorCode());
    }

    [Fact]
    public async Task An_mfa_ticket_expires_after_five_minutes()
    {
        var clock = new ShiftedClock();
        await using var host = fx.Factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(clock)));
        var client = host.CreateClient();
        var email = NewEmail("ticket");
        var access = (await SignUpAsync(client, email))["accessToken"]!.GetValue<string>();
        var secret = (await GetAsync(client, "/mfa/totp/generate", access)).Ok()["totpSecret"]!.GetValue<string>();
        string Code() => new OtpNet.Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(clock.GetUtcNow().UtcDateTime);
        (await PostAsync(client, "/user/mfa", new { code = Code(), activeMfaType = "totp" }, access)).Ok();

        var ticket = (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["mfa"]!["ticket"]!.GetValue<string>();
        clock.Offset = TimeSpan.FromMinutes(6);
        Assert.Equal("invalid-ticket", (await PostAsync(client, "/signin/mfa/totp", new { ticket, otp = Code() })).Error);
    }
}
