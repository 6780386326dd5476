using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.Mfa;
using Peregrine.Graph.Auth.RateLimiting;
using Peregrine.Graph.Auth.Sessions;

namespace Peregrine.Graph.Auth.Api;

/// <summary>
/// <c>POST /signin/email-password</c> (answers a session, or an MFA ticket when TOTP is on) and
/// <c>POST /signin/mfa/totp</c> (ticket + code → session).
/// </summary>
public static class SignInEndpoints
{
    public static async Task<Ok<SignInResponse>> SignInEmailPasswordAsync(
        HttpRequest request, AccountStore accounts, AuthSessions sessions, MfaTickets tickets, SignInRateLimiter limiter, AuthOptions options)
    {
        var ct = request.HttpContext.RequestAborted;
        var body = await AuthJson.ReadAsync<SignInEmailPasswordRequest>(request);
        var email = Validate.Email(body.Email);
        var password = Validate.Password(body.Password, options);
        var user = await PasswordCheck.SignInAsync(request, accounts, limiter, options, email, password);
        if (user.Disabled) throw AuthError.DisabledUser();

        if (user.TotpActive)
            return TypedResults.Ok(new SignInResponse(null, new MfaChallenge(await tickets.CreateAsync(user.Id, ct))));
        return TypedResults.Ok(new SignInResponse(await sessions.StartAsync(user, ct), null));
    }

    public static async Task<Ok<SignInResponse>> SignInMfaTotpAsync(
        HttpRequest request, AccountStore accounts, AuthSessions sessions, MfaTickets tickets, SignInRateLimiter limiter, TimeProvider clock)
    {
        var ct = request.HttpContext.RequestAborted;
        var body = await AuthJson.ReadAsync<SignInMfaTotpRequest>(request);
        var ticket = Validate.Required(body.Ticket, "ticket");
        if (!ticket.StartsWith(MfaTickets.Prefix, StringComparison.Ordinal)) throw AuthError.InvalidRequest("\"ticket\" must be an mfaTotp ticket");
        var otp = Validate.Required(body.Otp, "otp");

        var userId = await tickets.FindUserAsync(ticket, ct) ?? throw AuthError.InvalidTicket();
        var user = await accounts.FindByIdAsync(userId, ct) ?? throw AuthError.InvalidTicket();
        if (user.Disabled) throw AuthError.DisabledUser();
        if (!user.TotpActive) throw AuthError.DisabledMfaTotp();
        await TotpCheck.VerifyAsync(user, otp, limiter, clock, ct);
        if (!await tickets.SpendAsync(ticket, ct)) throw AuthError.InvalidTicket();

        return TypedResults.Ok(new SignInResponse(await sessions.StartAsync(user, ct), null));
    }
}
