namespace Peregrine.Domain.Model.Auth;

/// <summary>
/// A refresh token, stored as its SHA-256 only. Single-use: using it marks it used and issues its successor
/// in the same family; presenting a used one again revokes the whole family (the token was stolen).
/// </summary>
public sealed class AuthRefreshToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    /// <summary>Every token descending from one sign-in shares the first token's family.</summary>
    public Guid FamilyId { get; set; }
    public byte[] TokenHash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
