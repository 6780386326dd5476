using System.Text.Json;

namespace Peregrine.Graph.Auth.Api;

// The request bodies of Hasura Auth's endpoints, field for field.

public sealed record SignUpOptions(
    IReadOnlyList<string>? AllowedRoles, string? DefaultRole, string? DisplayName, string? Locale, JsonElement? Metadata, string? RedirectTo);

public sealed record SignUpEmailPasswordRequest(string? Email, string? Password, SignUpOptions? Options);

public sealed record SignInEmailPasswordRequest(string? Email, string? Password);

public sealed record SignInMfaTotpRequest(string? Ticket, string? Otp);

public sealed record RefreshTokenRequest(string? RefreshToken);

public sealed record VerifyTokenRequest(string? Token);

public sealed record SignOutRequest(string? RefreshToken, bool? All);

/// <summary><c>oldPassword</c> is Peregrine's addition: a stolen access token alone must not be able to change the password.</summary>
public sealed record ChangePasswordRequest(string? NewPassword, string? OldPassword);

/// <summary><c>password</c> (Peregrine's addition) is needed to turn MFA off, with a current code.</summary>
public sealed record UserMfaRequest(string? Code, string? ActiveMfaType, string? Password);
