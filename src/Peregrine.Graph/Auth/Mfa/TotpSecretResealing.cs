using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Peregrine.Graph.Auth.Mfa;

/// <summary>
/// At start-up, seals with the current key every TOTP secret that is not sealed with it yet: plain-text
/// secrets written before encryption existed, and secrets of keys being rotated out. Each row is rewritten
/// only if it still holds what was read, so a user enrolling meanwhile is never overwritten. Without a key
/// configured nothing can be sealed, and plain-text secrets are reported instead.
/// </summary>
public sealed class TotpSecretResealing(NpgsqlDataSource db, TotpSecretCipher cipher, ILogger<TotpSecretResealing> logger) : IHostedService
{
    private const int Batch = 500;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try { await ResealAsync(cancellationToken); }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn)
        {
            logger.LogWarning("TOTP secrets not checked: the database is not migrated yet ({State})", e.SqlState);
        }
    }

    private async Task ResealAsync(CancellationToken cancellationToken)
    {
        if (cipher.CurrentKeyId is not { } current)
        {
            await using var count = db.CreateCommand(
                "SELECT count(*) FROM auth_user_settings WHERE totp_secret IS NOT NULL AND totp_secret_key_id IS NULL");
            if (await count.ExecuteScalarAsync(cancellationToken) is long n && n > 0)
                logger.LogWarning("{Count} TOTP secrets are stored in plain text: set PEREGRINE_ENCRYPTION_KEY to encrypt them", n);
            return;
        }
        var (sealedCount, unreadable) = (0, 0);
        var seen = new HashSet<Guid>();
        while (true)
        {
            var rows = new List<(Guid User, string Stored, string? KeyId)>();
            await using (var select = db.CreateCommand("""
                SELECT user_id, totp_secret, totp_secret_key_id FROM auth_user_settings
                WHERE totp_secret IS NOT NULL AND totp_secret_key_id IS DISTINCT FROM $1 AND NOT (user_id = ANY ($2))
                ORDER BY user_id LIMIT $3
                """))
            {
                select.Parameters.Add(new NpgsqlParameter { Value = current });
                select.Parameters.Add(new NpgsqlParameter { Value = seen.ToArray() });
                select.Parameters.Add(new NpgsqlParameter { Value = Batch });
                await using var r = await select.ExecuteReaderAsync(cancellationToken);
                while (await r.ReadAsync(cancellationToken))
                    rows.Add((r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)));
            }
            if (rows.Count == 0) break;
            foreach (var (user, stored, keyId) in rows)
            {
                seen.Add(user);
                if (cipher.Open(user, stored, keyId) is not { } secret)
                {
                    unreadable++;  // its key is not configured: left as is, and that user cannot pass a TOTP check
                    continue;
                }
                var (sealedSecret, newKeyId) = cipher.Seal(user, secret);
                await using var update = db.CreateCommand("""
                    UPDATE auth_user_settings SET totp_secret = $2, totp_secret_key_id = $3
                    WHERE user_id = $1 AND totp_secret = $4 AND totp_secret_key_id IS NOT DISTINCT FROM $5
                    """);
                update.Parameters.Add(new NpgsqlParameter { Value = user });
                update.Parameters.Add(new NpgsqlParameter { Value = sealedSecret });
                update.Parameters.Add(new NpgsqlParameter { Value = newKeyId });
                update.Parameters.Add(new NpgsqlParameter { Value = stored });
                update.Parameters.Add(new NpgsqlParameter { Value = (object?)keyId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                sealedCount += await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        if (sealedCount > 0) logger.LogInformation("sealed {Count} TOTP secrets with key {KeyId}", sealedCount, current);
        if (unreadable > 0)
            logger.LogWarning("{Count} TOTP secrets are sealed with a key that is not configured: add it to PEREGRINE_ENCRYPTION_OLD_KEYS", unreadable);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
