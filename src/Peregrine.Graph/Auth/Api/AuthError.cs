using Microsoft.AspNetCore.Http;

namespace Peregrine.Graph.Auth.Api;

/// <summary>
/// An error in Hasura Auth's body, <c>{"status", "message", "error"}</c>, with its codes and statuses.
/// Thrown by handlers and written by <see cref="AuthErrorFilter"/>.
/// </summary>
public sealed class AuthError(int status, string error, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Error { get; } = error;

    public static AuthError InvalidRequest(string message = "The request payload is incorrect") => new(400, "invalid-request", message);
    public static AuthError UnsupportedMediaType() =>
        new(415, "invalid-request", "The request body must be JSON, sent with Content-Type: application/json");
    public static AuthError IncorrectPassword() => new(401, "invalid-email-password", "Incorrect password");
    public static AuthError InvalidEmailPassword() => new(401, "invalid-email-password", "Incorrect email or password");
    public static AuthError EmailAlreadyInUse() => new(409, "email-already-in-use", "Email already in use");
    public static AuthError PasswordTooShort() => new(400, "password-too-short", "Password is too short");
    public static AuthError InvalidRefreshToken() => new(401, "invalid-refresh-token", "Invalid or expired refresh token");
    public static AuthError UnauthenticatedUser(string message = "User is not logged in") => new(401, "unauthenticated-user", message);
    public static AuthError DisabledUser() => new(401, "disabled-user", "User is disabled");
    public static AuthError UserNotFound() => new(400, "user-not-found", "No user found");
    public static AuthError ForbiddenAnonymous() => new(403, "forbidden-anonymous", "Anonymous users cannot access this endpoint");
    public static AuthError InvalidTotp() => new(401, "invalid-totp", "Invalid TOTP code");
    public static AuthError InvalidTicket() => new(401, "invalid-ticket", "Invalid or expired verification ticket");
    public static AuthError DisabledMfaTotp() => new(400, "disabled-mfa-totp", "MFA TOTP is not enabled for this user");
    public static AuthError NoTotpSecret() => new(400, "no-totp-secret", "OTP secret is not set for user");
    public static AuthError TotpAlreadyActive() => new(400, "totp-already-active", "TOTP MFA already active");
    public static AuthError MfaTypeNotFound() => new(400, "mfa-type-not-found", "There is no active MFA set for the user");
    public static AuthError RoleNotAllowed() => new(400, "role-not-allowed", "Role not allowed");
    public static AuthError DefaultRoleMustBeInAllowedRoles() =>
        new(400, "default-role-must-be-in-allowed-roles", "Default role must be in allowed roles");
    public static AuthError TooManyRequests() => new(StatusCodes.Status429TooManyRequests, "too-many-requests", "Too many requests");
    public static AuthError Internal() => new(500, "internal-server-error", "Internal server error");
    public static AuthError DisabledEndpoint(string message) => new(404, "disabled-endpoint", message);

    public object Body => new { status = Status, message = Message, error = Error };
}
