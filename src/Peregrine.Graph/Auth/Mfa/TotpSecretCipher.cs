using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Auth.Mfa;

/// <summary>
/// Encrypts TOTP secrets at rest with AES-256-GCM. The key comes from <c>PEREGRINE_ENCRYPTION_KEY</c> (32 bytes,
/// base64 or hex); keys it replaced stay readable through <c>PEREGRINE_ENCRYPTION_OLD_KEYS</c> (a comma list) so
/// keys can rotate: each value is stored with the id of the key that sealed it, and start-up re-seals values
/// of old keys (and plain-text ones from before encryption) with the current key. A key's id is derived
/// from the key, so operators name nothing. The user's id is the associated data: a sealed secret copied
/// onto another user's row does not open.
/// </summary>
public sealed class TotpSecretCipher
{
    private const int NonceBytes = 12, TagBytes = 16;
    private readonly byte[]? _currentKey;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public TotpSecretCipher(string? currentKey, IEnumerable<string> oldKeys)
    {
        if (currentKey is not null)
        {
            _currentKey = ParseKey(currentKey, "PEREGRINE_ENCRYPTION_KEY");
            CurrentKeyId = KeyId(_currentKey);
            _keys[CurrentKeyId] = _currentKey;
        }
        foreach (var old in oldKeys)
        {
            var key = ParseKey(old, "PEREGRINE_ENCRYPTION_OLD_KEYS");
            _keys.TryAdd(KeyId(key), key);
        }
    }

    public static TotpSecretCipher FromConfiguration(IConfiguration config) => new(
        string.IsNullOrWhiteSpace(config["PEREGRINE_ENCRYPTION_KEY"]) ? null : config["PEREGRINE_ENCRYPTION_KEY"]!.Trim(),
        (config["PEREGRINE_ENCRYPTION_OLD_KEYS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The id stored beside values sealed now; null when no key is configured (nothing can be sealed).</summary>
    public string? CurrentKeyId { get; }

    public (string Sealed, string KeyId) Seal(Guid userId, string secret)
    {
        var key = _currentKey ?? throw new InvalidOperationException("no PEREGRINE_ENCRYPTION_KEY");
        var plain = Encoding.UTF8.GetBytes(secret);
        var output = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceBytes, plain.Length), output.AsSpan(NonceBytes + plain.Length), userId.ToByteArray());
        return (Convert.ToBase64String(output), CurrentKeyId!);
    }

    /// <summary>
    /// The secret as stored: plain text when <paramref name="keyId"/> is null (written before encryption);
    /// null when its key is not configured any more or the value does not open (tampered, or another user's).
    /// </summary>
    public string? Open(Guid userId, string stored, string? keyId)
    {
        if (keyId is null) return stored;
        if (!_keys.TryGetValue(keyId, out var key)) return null;
        byte[] data;
        try { data = Convert.FromBase64String(stored); }
        catch (FormatException) { return null; }
        if (data.Length < NonceBytes + TagBytes) return null;
        var plain = new byte[data.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(data.AsSpan(0, NonceBytes), data.AsSpan(NonceBytes, plain.Length), data.AsSpan(NonceBytes + plain.Length), plain, userId.ToByteArray());
        }
        catch (AuthenticationTagMismatchException) { return null; }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>First 8 bytes of a hash of the key, in hex: names the key without revealing it.</summary>
    public static string KeyId(byte[] key) =>
        Convert.ToHexStringLower(SHA256.HashData([.. "peregrine-key-id:"u8, .. key]), 0, 8);

    /// <summary>A 32-byte key written as base64 (standard or URL-safe) or as 64 hex digits.</summary>
    public static byte[] ParseKey(string text, string variable)
    {
        if (text.Length == 64 && text.All(char.IsAsciiHexDigit)) return Convert.FromHexString(text);
        try
        {
            var b64 = text.Replace('-', '+').Replace('_', '/');
            var key = Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '='));
            if (key.Length == 32) return key;
        }
        catch (FormatException) { }
        throw new InvalidSettingException(variable, "<hidden>",
            "expected 32-byte keys, as base64 or 64 hex digits (e.g. from `openssl rand -base64 32`)");
    }
}
