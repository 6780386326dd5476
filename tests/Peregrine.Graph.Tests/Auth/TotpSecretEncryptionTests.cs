using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OtpNet;
using Peregrine.Graph.Tests.Infrastructure;
using static Peregrine.Graph.Tests.Auth.AuthHttp;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// TOTP secrets at rest: sealed with AES-GCM under PEREGRINE_ENCRYPTION_KEY, the key's id beside each value;
/// a new key with the old one in PEREGRINE_ENCRYPTION_OLD_KEYS reads old values and reseals them at start-up;
/// plain-text secrets from before encryption are sealed at start-up. Checked by opening the stored values
/// with AES-GCM in the test (<see cref="TotpSecretOracle"/>).
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class TotpSecretEncryptionTests(PeregrineFixture fx)
{
    private static string Code(string secret) => new OtpNet.Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow);

    private WebApplicationFactory<Program> Host(params (string Key, string Value)[] settings)
    {
        var host = fx.Factory.WithWebHostBuilder(b => { foreach (var (k, v) in settings) b.UseSetting(k, v); });
        host.CreateClient().Dispose();  // starts it: start-up is when secrets are resealed
        return host;
    }

    private async Task<(string? Stored, string? KeyId)> StoredAsync(Guid userId)
    {
        await using var cmd = fx.DataSource.CreateCommand("SELECT totp_secret, totp_secret_key_id FROM auth_user_settings WHERE user_id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = userId });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.IsDBNull(0) ? null : r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1));
    }

    private static async Task SignInWithTotpAsync(HttpClient client, string email, string secret)
    {
        var ticket = (await PostAsync(client, "/signin/email-password", new { email, password = Password })).Ok()["mfa"]!["ticket"]!.GetValue<string>();
        (await PostAsync(client, "/signin/mfa/totp", new { ticket, otp = Code(secret) })).Ok();
    }

    [Fact]
    public async Task Keys_rotate_old_values_stay_readable_and_are_resealed_with_the_new_key()
    {
        var client = fx.Factory.CreateClient();
        var email = NewEmail("rotate");
        var session = await SignUpAsync(client, email);
        var userId = Guid.Parse(session["user"]!["id"]!.GetValue<string>());
        var access = session["accessToken"]!.GetValue<string>();
        var secret = (await GetAsync(client, "/mfa/totp/generate", access)).Ok()["totpSecret"]!.GetValue<string>();
        (await PostAsync(client, "/user/mfa", new { code = Code(secret), activeMfaType = "totp" }, access)).Ok();

        var (stored, keyId) = await StoredAsync(userId);
        Assert.Equal(TotpSecretOracle.KeyId(PeregrineFixture.EncryptionKey), keyId);
        Assert.Equal(secret, TotpSecretOracle.Open(PeregrineFixture.EncryptionKey, userId, stored!));
        // Sealed for this user only: the same value under another user's id does not open.
        Assert.ThrowsAny<CryptographicException>(() => TotpSecretOracle.Open(PeregrineFixture.EncryptionKey, Guid.NewGuid(), stored!));

        var newKey = RandomNumberGenerator.GetBytes(32);
        await using (var rotated = Host(("PEREGRINE_ENCRYPTION_KEY", Convert.ToHexString(newKey)),
                         ("PEREGRINE_ENCRYPTION_OLD_KEYS", Convert.ToBase64String(PeregrineFixture.EncryptionKey))))
        {
            var (resealed, newKeyId) = await StoredAsync(userId);
            Assert.Equal(TotpSecretOracle.KeyId(newKey), newKeyId);
            Assert.NotEqual(stored, resealed);
            Assert.Equal(secret, TotpSecretOracle.Open(newKey, userId, resealed!));
            await SignInWithTotpAsync(rotated.CreateClient(), email, secret);
        }

        // A server that has neither key cannot read the secret: the code step says so (no 500), and nothing is rewritten.
        await using var lost = Host(("PEREGRINE_ENCRYPTION_KEY", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        var lostClient = lost.CreateClient();
        var ticket = (await PostAsync(lostClient, "/signin/email-password", new { email, password = Password })).Ok()["mfa"]!["ticket"]!.GetValue<string>();
        var refused = await PostAsync(lostClient, "/signin/mfa/totp", new { ticket, otp = Code(secret) });
        Assert.Equal((HttpStatusCode.BadRequest, "no-totp-secret"), (refused.Status, refused.Error));
        Assert.Equal(TotpSecretOracle.KeyId(newKey), (await StoredAsync(userId)).KeyId);
    }

    [Fact]
    public async Task Plain_text_secrets_from_before_encryption_are_sealed_at_start_up()
    {
        var client = fx.Factory.CreateClient();
        var email = NewEmail("plaintext");
        var userId = Guid.Parse((await SignUpAsync(client, email))["user"]!["id"]!.GetValue<string>());
        var secret = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(20));
        // As the landed build stored it: the base32 secret itself, no key id.
        await fx.ScalarAsync<int>("UPDATE auth_user_settings SET totp_secret = $2, totp_secret_key_id = NULL, active_mfa_type = 'totp' WHERE user_id = $1",
            userId, secret);

        await using var restarted = Host();
        var (stored, keyId) = await StoredAsync(userId);
        Assert.Equal(TotpSecretOracle.KeyId(PeregrineFixture.EncryptionKey), keyId);
        Assert.DoesNotContain(secret, stored);
        Assert.Equal(secret, TotpSecretOracle.Open(PeregrineFixture.EncryptionKey, userId, stored!));
        await SignInWithTotpAsync(restarted.CreateClient(), email, secret);
    }

    [Fact]
    public async Task Without_a_key_no_secret_is_generated()
    {
        await using var keyless = Host(("PEREGRINE_ENCRYPTION_KEY", ""));
        var client = keyless.CreateClient();
        var access = (await SignUpAsync(client, NewEmail("keyless")))["accessToken"]!.GetValue<string>();
        var reply = await GetAsync(client, "/mfa/totp/generate", access);
        Assert.Equal((HttpStatusCode.NotFound, "disabled-endpoint"), (reply.Status, reply.Error));
    }
}
