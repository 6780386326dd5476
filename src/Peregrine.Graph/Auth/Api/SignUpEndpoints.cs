using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.Sessions;

namespace Peregrine.Graph.Auth.Api;

/// <summary><c>POST /signup/email-password</c>: creates the user and signs them in (no email verification step).</summary>
public static class SignUpEndpoints
{
    public static async Task<Ok<SignInResponse>> SignUpEmailPasswordAsync(
        HttpRequest request, AccountStore accounts, AuthSessions sessions, AuthOptions options)
    {
        sessions.EnsureCanIssue();
        var body = await AuthJson.ReadAsync<SignUpEmailPasswordRequest>(request);
        var email = Validate.Email(body.Email);
        var password = Validate.NewPassword(body.Password, options);
        var o = body.Options;

        var roles = o?.AllowedRoles is { Count: > 0 } asked ? asked.Distinct().ToList() : options.DefaultAllowedRoles.ToList();
        if (roles.Any(r => !options.DefaultAllowedRoles.Contains(r))) throw AuthError.RoleNotAllowed();
        var defaultRole = o?.DefaultRole ?? options.DefaultRole;
        if (!roles.Contains(defaultRole)) throw AuthError.DefaultRoleMustBeInAllowedRoles();

        var locale = ProfileInput.Locale(o?.Locale, options.DefaultLocale);
        var displayName = ProfileInput.DisplayName(o?.DisplayName);
        var metadata = ProfileInput.Metadata(o?.Metadata);

        var user = await accounts.CreateAsync(
            new NewAccount(email, PasswordHasher.Hash(password), displayName, locale, defaultRole, roles, metadata),
            request.HttpContext.RequestAborted) ?? throw AuthError.EmailAlreadyInUse();
        return TypedResults.Ok(new SignInResponse(await sessions.StartAsync(user, request.HttpContext.RequestAborted), null));
    }
}
