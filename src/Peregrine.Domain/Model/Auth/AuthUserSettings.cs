using System.Text.Json;

namespace Peregrine.Domain.Model.Auth;

/// <summary>
/// What Hasura Auth keeps about a user beyond <see cref="User"/>'s email and password hash: roles, the
/// Nhost profile fields and MFA state. One row per user who signed up through the auth endpoints; a user
/// without one (created by an admin) gets the defaults.
/// </summary>
public sealed class AuthUserSettings
{
    public Guid UserId { get; set; }
    public string? DisplayName { get; set; }
    public string? AvatarUrl { get; set; }
    public string Locale { get; set; } = "en";
    public string DefaultRole { get; set; } = "user";
    public List<string> Roles { get; set; } = ["user", "me"];
    public JsonDocument Metadata { get; set; } = JsonDocument.Parse("{}");
    public bool EmailVerified { get; set; }
    public bool IsAnonymous { get; set; }
    public bool Disabled { get; set; }
    /// <summary>Null, or <c>totp</c> once the user has turned TOTP on.</summary>
    public string? ActiveMfaType { get; set; }
    /// <summary>
    /// The TOTP secret from the last <c>/mfa/totp/generate</c>, AES-GCM encrypted (base64 of nonce, ciphertext and
    /// tag); plain base32 only in rows written before encryption, which start-up encrypts.
    /// </summary>
    public string? TotpSecret { get; set; }
    /// <summary>Which key encrypted <see cref="TotpSecret"/>; null while it is still plain text.</summary>
    public string? TotpSecretKeyId { get; set; }
    public DateTimeOffset? LastSeen { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
