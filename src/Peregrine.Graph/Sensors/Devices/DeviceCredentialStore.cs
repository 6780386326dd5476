using Npgsql;
using NpgsqlTypes;

namespace Peregrine.Graph.Sensors.Devices;

/// <summary>A credential as the API shows it; <see cref="ClientSecret"/> only on the answer that created it.</summary>
public sealed record DeviceCredentialInfo(string ClientId, Guid DeviceId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string? ClientSecret);

/// <summary>A live credential as the token endpoint needs it.</summary>
public sealed record ActiveDeviceCredential(string ClientId, Guid DeviceId, string SecretHash);

/// <summary>The <c>device_credentials</c> table: parameterised statements only, the secret stored hashed.</summary>
public sealed class DeviceCredentialStore(NpgsqlDataSource dataSource)
{
    public async Task<DeviceCredentialInfo> CreateAsync(Guid deviceId, CancellationToken ct)
    {
        var clientId = DeviceCredentialSecrets.NewClientId();
        var secret = DeviceCredentialSecrets.NewSecret();
        await using var cmd = dataSource.CreateCommand(
            "INSERT INTO device_credentials (client_id, device_id, secret_hash) VALUES ($1, $2, $3) RETURNING created_at");
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = clientId });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = deviceId });
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = DeviceCredentialSecrets.Hash(secret) });
        var created = (DateTime)(await cmd.ExecuteScalarAsync(ct))!;
        return new DeviceCredentialInfo(clientId, deviceId, new DateTimeOffset(created, TimeSpan.Zero), null, secret);
    }

    /// <summary>The device a client id belongs to (revoked or not), for the permission check before revoking.</summary>
    public async Task<Guid?> DeviceOfAsync(string clientId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT device_id FROM device_credentials WHERE client_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = clientId });
        return await cmd.ExecuteScalarAsync(ct) is Guid g ? g : null;
    }

    /// <summary>Revokes the credential (once: revoking again keeps the first time) and answers it.</summary>
    public async Task<DeviceCredentialInfo?> RevokeAsync(string clientId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE device_credentials SET revoked_at = coalesce(revoked_at, now()) WHERE client_id = $1 " +
            "RETURNING client_id, device_id, created_at, revoked_at");
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = clientId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return new DeviceCredentialInfo(reader.GetString(0), reader.GetGuid(1),
            reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3), null);
    }

    /// <summary>The unrevoked credential named <paramref name="clientId"/>, with its device (which must still exist).</summary>
    public async Task<ActiveDeviceCredential?> FindActiveAsync(string clientId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT c.client_id, c.device_id, c.secret_hash FROM device_credentials c JOIN devices d ON d.id = c.device_id " +
            "WHERE c.client_id = $1 AND c.revoked_at IS NULL");
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = clientId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ActiveDeviceCredential(reader.GetString(0), reader.GetGuid(1), reader.GetString(2)) : null;
    }
}
