using Peregrine.Graph.Auth.Accounts;
using Peregrine.Graph.Auth.Api;

namespace Peregrine.Graph.Auth.Sessions;

/// <summary>Creates and refreshes Hasura Auth sessions: a signed access token plus a single-use refresh token.</summary>
public sealed class AuthSessions(AccessTokenIssuer accessTokens, RefreshTokenStore refreshTokens, AccountStore accounts, AuthOptions options)
{
    /// <summary>A new session (a new refresh-token family) for a user who just proved who they are.</summary>
    public async Task<SessionPayload> StartAsync(AuthUser user, CancellationToken ct)
    {
        EnsureCanIssue();
        var refresh = await refreshTokens.IssueAsync(user.Id, familyId: null, ct);
        await accounts.TouchLastSeenAsync(user.Id, ct);
        return Payload(user, refresh);
    }

    /// <summary>Spends the refresh token and answers the next session; <c>invalid-refresh-token</c> otherwise.</summary>
    public async Task<SessionPayload> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        EnsureCanIssue();
        var rotated = await refreshTokens.RotateAsync(refreshToken, ct) ?? throw AuthError.InvalidRefreshToken();
        var user = await accounts.FindByIdAsync(rotated.UserId, ct);
        if (user is null || user.Disabled)
        {
            await refreshTokens.RevokeAllAsync(rotated.UserId, ct);
            throw AuthError.InvalidRefreshToken();
        }
        await accounts.TouchLastSeenAsync(user.Id, ct);
        return Payload(user, rotated.Next);
    }

    private SessionPayload Payload(AuthUser user, IssuedRefreshToken refresh) => new(
        accessTokens.Issue(user, refresh.FamilyId), (int)options.AccessTokenLifetime.TotalSeconds, refresh.Token, refresh.Id, UserPayload.From(user));

    /// <summary>Called before anything is written, so a host that cannot sign tokens refuses cleanly.</summary>
    public void EnsureCanIssue()
    {
        if (!accessTokens.CanIssue)
            throw AuthError.DisabledEndpoint(
                "Sessions need a signing key: set PEREGRINE_JWT_SECRET to an HS key, or add \"signing_key\" to an asymmetric one");
    }
}
