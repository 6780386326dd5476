using System.Text.Json;
using Peregrine.Graph.Auth.Accounts;

namespace Peregrine.Graph.Auth.Api;

// The response bodies of Hasura Auth's endpoints, field for field.

public sealed record UserPayload(
    Guid Id,
    DateTimeOffset CreatedAt,
    string DisplayName,
    string AvatarUrl,
    string Locale,
    string Email,
    bool EmailVerified,
    string? PhoneNumber,
    bool PhoneNumberVerified,
    string DefaultRole,
    IReadOnlyList<string> Roles,
    bool IsAnonymous,
    JsonElement Metadata,
    string? ActiveMfaType)
{
    public static UserPayload From(AuthUser u) => new(
        u.Id, u.CreatedAt, u.DisplayName ?? u.Email, u.AvatarUrl ?? "", u.Locale, u.Email, u.EmailVerified,
        null, false, u.DefaultRole, u.Roles, u.IsAnonymous, JsonDocument.Parse(u.MetadataJson).RootElement,
        u.ActiveMfaType);
}

public sealed record SessionPayload(string AccessToken, int AccessTokenExpiresIn, string RefreshToken, Guid RefreshTokenId, UserPayload User);

public sealed record MfaChallenge(string Ticket);

public sealed record SignInResponse(SessionPayload? Session, MfaChallenge? Mfa);

public sealed record TotpGenerateResponse(string ImageUrl, string TotpSecret, string OtpauthUrl);
