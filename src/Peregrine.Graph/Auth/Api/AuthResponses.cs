using System.Text.Json;
using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Sessions;

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
        null, false, u.DefaultRole, u.Roles, u.IsAnonymous, ReadableMetadata(u.MetadataJson), u.ActiveMfaType);

    /// <summary>
    /// Stored metadata as the response carries it. Sign-up refuses anything nested past ten levels, but a row
    /// written by SQL can hold more than a response can nest (System.Text.Json stops at 64 levels, and the
    /// metadata sits three levels down): such metadata is answered as <c>{}</c> rather than making every
    /// answer about the account fail.
    /// </summary>
    private static JsonElement ReadableMetadata(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxAnsweredMetadataDepth });
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return EmptyObject;
        }
    }

    private const int MaxAnsweredMetadataDepth = 48;
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}

public sealed record SessionPayload(string AccessToken, int AccessTokenExpiresIn, string RefreshToken, Guid RefreshTokenId, UserPayload User);

public sealed record MfaChallenge(string Ticket);

public sealed record SignInResponse(SessionPayload? Session, MfaChallenge? Mfa);

public sealed record TotpGenerateResponse(string ImageUrl, string TotpSecret, string OtpauthUrl);
