using Npgsql;
using NpgsqlTypes;
using Peregrine.Graph.Auth.Mfa;

namespace Peregrine.Graph.Auth.Accounts;

/// <summary>
/// Reads and writes users for the auth endpoints: email and password hash in <c>users</c>, everything else
/// in <c>auth_user_settings</c> (a user without a settings row, e.g. created by an admin, gets the defaults).
/// TOTP secrets are sealed by <see cref="TotpSecretCipher"/> on the way in and opened on the way out: only
/// <see cref="AuthUser"/>, in memory, holds one in the clear.
/// </summary>
public sealed class AccountStore(NpgsqlDataSource db, AuthOptions options, TotpSecretCipher cipher)
{
    private const string Columns = """
        u.id, u.email, u.password_hash, u.created_at, s.display_name, s.avatar_url,
        coalesce(s.locale, $2), coalesce(s.default_role, $3), coalesce(s.roles, $4), coalesce(s.metadata, '{}')::text,
        coalesce(s.email_verified, false), coalesce(s.is_anonymous, false), coalesce(s.disabled, false),
        s.active_mfa_type, s.totp_secret, s.totp_secret_key_id
        """;

    public Task<AuthUser?> FindByEmailAsync(string email, CancellationToken ct) =>
        QuerySingleAsync($"SELECT {Columns} FROM users u LEFT JOIN auth_user_settings s ON s.user_id = u.id WHERE u.email = $1", email, ct);

    public Task<AuthUser?> FindByIdAsync(Guid id, CancellationToken ct) =>
        QuerySingleAsync($"SELECT {Columns} FROM users u LEFT JOIN auth_user_settings s ON s.user_id = u.id WHERE u.id = $1", id, ct);

    /// <summary>Creates the user and their settings in one statement; null when the email is taken.</summary>
    public async Task<AuthUser?> CreateAsync(NewAccount account, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            WITH u AS (
              INSERT INTO users (email, password_hash) VALUES ($1, $5)
              ON CONFLICT ON CONSTRAINT users_email_key DO NOTHING
              RETURNING id, email, password_hash, created_at),
            s AS (
              INSERT INTO auth_user_settings (user_id, display_name, locale, default_role, roles, metadata)
              SELECT id, $6, $2, $3, $4, $7::jsonb FROM u
              RETURNING *)
            SELECT {Columns} FROM u JOIN s ON s.user_id = u.id
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = account.Email });
        cmd.Parameters.Add(new NpgsqlParameter { Value = account.Locale });
        cmd.Parameters.Add(new NpgsqlParameter { Value = account.DefaultRole });
        cmd.Parameters.Add(new NpgsqlParameter { Value = account.Roles.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = account.PasswordHash });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)account.DisplayName ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = account.MetadataJson, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadSingleAsync(cmd, ct);
    }

    /// <summary>Replaces a hash that verified with a stronger one, unless the password changed meanwhile.</summary>
    public async Task RehashPasswordAsync(Guid userId, string oldHash, string newHash, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = oldHash });
        cmd.Parameters.Add(new NpgsqlParameter { Value = newHash });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task SetTotpSecretAsync(Guid userId, string secret, CancellationToken ct)
    {
        var (sealedSecret, keyId) = cipher.Seal(userId, secret);
        await using var cmd = db.CreateCommand("""
            INSERT INTO auth_user_settings (user_id, totp_secret, totp_secret_key_id) VALUES ($1, $2, $3)
            ON CONFLICT (user_id) DO UPDATE
              SET totp_secret = excluded.totp_secret, totp_secret_key_id = excluded.totp_secret_key_id, updated_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sealedSecret });
        cmd.Parameters.Add(new NpgsqlParameter { Value = keyId });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A new password hash, and every refresh token of the user gone except the session <paramref name="keepFamily"/>.</summary>
    public async Task ChangePasswordAsync(Guid userId, string hash, Guid? keepFamily, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            WITH revoked AS (DELETE FROM auth_refresh_tokens WHERE user_id = $1 AND family_id IS DISTINCT FROM $3)
            UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = hash });
        cmd.Parameters.Add(new NpgsqlParameter<Guid?> { TypedValue = keepFamily });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public Task SetActiveMfaTypeAsync(Guid userId, string? type, CancellationToken ct) =>
        UpsertSettingAsync(userId, "active_mfa_type", type, ct);

    public async Task TouchLastSeenAsync(Guid userId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE auth_user_settings SET last_seen = now() WHERE user_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    // column is one of our own constants, never user input.
    private async Task UpsertSettingAsync(Guid userId, string column, string? value, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            INSERT INTO auth_user_settings (user_id, {column}) VALUES ($1, $2)
            ON CONFLICT (user_id) DO UPDATE SET {column} = excluded.{column}, updated_at = now()
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<AuthUser?> QuerySingleAsync(string sql, object key, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = key });
        cmd.Parameters.Add(new NpgsqlParameter { Value = options.DefaultLocale });
        cmd.Parameters.Add(new NpgsqlParameter { Value = options.DefaultRole });
        cmd.Parameters.Add(new NpgsqlParameter { Value = options.DefaultAllowedRoles.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return await ReadSingleAsync(cmd, ct);
    }

    private async Task<AuthUser?> ReadSingleAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var id = r.GetGuid(0);
        return new AuthUser(
            id, r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
            r.GetString(6), r.GetString(7), r.GetFieldValue<string[]>(8), r.GetString(9),
            r.GetBoolean(10), r.GetBoolean(11), r.GetBoolean(12),
            r.IsDBNull(13) ? null : r.GetString(13),
            r.IsDBNull(14) ? null : cipher.Open(id, r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15)));
    }
}

/// <summary>What sign-up writes.</summary>
public sealed record NewAccount(
    string Email, string PasswordHash, string? DisplayName, string Locale, string DefaultRole, IReadOnlyList<string> Roles, string MetadataJson);
