namespace Peregrine.Graph.Auth.Accounts;

/// <summary>A user as the auth endpoints see them: the <c>users</c> row joined to its <c>auth_user_settings</c>.</summary>
public sealed record AuthUser(
    Guid Id,
    string Email,
    string? PasswordHash,
    DateTimeOffset CreatedAt,
    string? DisplayName,
    string? AvatarUrl,
    string Locale,
    string DefaultRole,
    IReadOnlyList<string> Roles,
    string MetadataJson,
    bool EmailVerified,
    bool IsAnonymous,
    bool Disabled,
    string? ActiveMfaType,
    string? TotpSecret)
{
    public bool TotpActive => ActiveMfaType == "totp";
}
