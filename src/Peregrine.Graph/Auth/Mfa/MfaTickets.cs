using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Peregrine.Graph.Auth.Mfa;

/// <summary>
/// The <c>mfaTotp:&lt;uuid&gt;</c> tickets a password sign-in answers when TOTP is on. A ticket lives a few
/// minutes, is stored hashed and is spent by the first correct code.
/// </summary>
public sealed class MfaTickets(NpgsqlDataSource db, AuthOptions options, TimeProvider clock)
{
    public const string Prefix = "mfaTotp:";

    public async Task<string> CreateAsync(Guid userId, CancellationToken ct)
    {
        var ticket = Prefix + Guid.NewGuid();
        var now = clock.GetUtcNow();
        await using var cmd = db.CreateCommand("""
            WITH cleanup AS (DELETE FROM auth_mfa_tickets WHERE expires_at < $3)
            INSERT INTO auth_mfa_tickets (ticket_hash, user_id, expires_at) VALUES ($1, $2, $4)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Hash(ticket) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now + options.MfaTicketLifetime });
        await cmd.ExecuteNonQueryAsync(ct);
        return ticket;
    }

    /// <summary>The ticket's user, if the ticket is live; it stays live until <see cref="SpendAsync"/>.</summary>
    public async Task<Guid?> FindUserAsync(string ticket, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT user_id FROM auth_mfa_tickets WHERE ticket_hash = $1 AND expires_at > $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = Hash(ticket) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        return await cmd.ExecuteScalarAsync(ct) is Guid id ? id : null;
    }

    /// <summary>Deletes the ticket; false if another request spent it first.</summary>
    public async Task<bool> SpendAsync(string ticket, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("DELETE FROM auth_mfa_tickets WHERE ticket_hash = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = Hash(ticket) });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    private static byte[] Hash(string ticket) => SHA256.HashData(Encoding.UTF8.GetBytes(ticket));
}
