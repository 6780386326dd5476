namespace Peregrine.Domain.Model.Auth;

/// <summary>
/// The <c>mfaTotp:...</c> ticket a password sign-in answers when TOTP is on; exchanged once, within
/// minutes, for a session by <c>/signin/mfa/totp</c>. Stored as its SHA-256.
/// </summary>
public sealed class AuthMfaTicket
{
    public byte[] TicketHash { get; set; } = [];
    public Guid UserId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
