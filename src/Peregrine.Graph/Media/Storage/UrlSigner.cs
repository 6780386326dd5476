using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Peregrine.Graph.Media.Storage;

/// <summary>
/// Peregrine's own presigned URLs (local backend): <c>?expires=&lt;unix seconds&gt;&amp;signature=&lt;HMAC-SHA256&gt;</c>
/// over purpose, file id and expiry, so a URL for one file, action or lifetime cannot be turned into another.
/// The key is derived from PEREGRINE_ENCRYPTION_KEY (else the admin or JWT secret), so every instance that
/// shares the configuration accepts the others' URLs.
/// </summary>
public sealed class UrlSigner
{
    public const string Upload = "upload";
    public const string Download = "download";
    private readonly byte[] _key;

    public UrlSigner(byte[] secret) =>
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: "peregrine media url signing"u8.ToArray());

    public string Query(string purpose, Guid id, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        return $"expires={expires.ToString(CultureInfo.InvariantCulture)}&signature={Sign(purpose, id, expires)}";
    }

    /// <summary>True when the signature matches and the expiry has not passed.</summary>
    public bool Verify(string purpose, Guid id, string? expires, string? signature, DateTimeOffset now)
    {
        if (expires is null || signature is null || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var at)) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(purpose, id, at));
        var sent = Encoding.ASCII.GetBytes(signature);
        // Compare before looking at the clock, in constant time: the answer must not tell how close a forgery came.
        var valid = CryptographicOperations.FixedTimeEquals(expected, sent);
        return valid && now.ToUnixTimeSeconds() <= at;
    }

    private string Sign(string purpose, Guid id, long expires)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{purpose}\n{id:N}\n{expires.ToString(CultureInfo.InvariantCulture)}"));
        return WebEncoders.Base64UrlEncode(mac);
    }
}
