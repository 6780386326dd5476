using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Peregrine.Graph.Auth.Sessions;

/// <summary>A refresh token as handed to the client (the secret), the id of its row and its family (the session it continues).</summary>
public sealed record IssuedRefreshToken(string Token, Guid Id, Guid FamilyId);

/// <summary>
/// Refresh tokens in <c>auth_refresh_tokens</c>, stored as SHA-256 (a token is 122 random bits, so a plain
/// hash is enough). Single-use: <see cref="RotateAsync"/> marks the token used and issues its successor in the
/// same family; presenting a used token again revokes the family, so a stolen token dies with its session.
/// </summary>
public sealed class RefreshTokenStore(NpgsqlDataSource db, AuthOptions options, TimeProvider clock)
{
    public async Task<IssuedRefreshToken> IssueAsync(Guid userId, Guid? familyId, CancellationToken ct)
    {
        var token = NewToken();
        var now = clock.GetUtcNow();
        await using var cmd = db.CreateCommand("""
            WITH cleanup AS (DELETE FROM auth_refresh_tokens WHERE user_id = $1 AND expires_at < $4)
            INSERT INTO auth_refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at)
            VALUES ($2, $1, coalesce($3, $2), $5, $4, $6)
            """);
        var id = Guid.NewGuid();
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = familyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Hash(token) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now + options.RefreshTokenLifetime });
        await cmd.ExecuteNonQueryAsync(ct);
        return new IssuedRefreshToken(token, id, familyId ?? id);
    }

    /// <summary>Spends <paramref name="token"/> and issues its successor; null if the token is unknown, expired or used.</summary>
    public async Task<(Guid UserId, IssuedRefreshToken Next)?> RotateAsync(string token, CancellationToken ct)
    {
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        Guid userId, familyId;
        await using (var spend = db.CreateCommand("""
            UPDATE auth_refresh_tokens SET used_at = $2
            WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
            RETURNING user_id, family_id
            """))
        {
            spend.Parameters.Add(new NpgsqlParameter { Value = hash });
            spend.Parameters.Add(new NpgsqlParameter { Value = now });
            await using var r = await spend.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                await r.DisposeAsync();
                await RevokeFamilyIfReusedAsync(hash, ct);
                return null;
            }
            (userId, familyId) = (r.GetGuid(0), r.GetGuid(1));
        }
        return (userId, await IssueAsync(userId, familyId, ct));
    }

    /// <summary>Sign-out of one session: the token's whole family goes.</summary>
    public async Task RevokeAsync(string token, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            DELETE FROM auth_refresh_tokens WHERE family_id IN (SELECT family_id FROM auth_refresh_tokens WHERE token_hash = $1)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Hash(token) });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task RevokeAllAsync(Guid userId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM auth_refresh_tokens WHERE user_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task RevokeFamilyIfReusedAsync(byte[] hash, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            DELETE FROM auth_refresh_tokens
            WHERE family_id IN (SELECT family_id FROM auth_refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A random version-4 UUID: the form Hasura Auth's clients expect a refresh token in.</summary>
    private static string NewToken()
    {
        Span<byte> b = stackalloc byte[16];
        RandomNumberGenerator.Fill(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b, bigEndian: true).ToString();
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
