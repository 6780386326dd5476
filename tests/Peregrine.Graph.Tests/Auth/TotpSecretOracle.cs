using System.Security.Cryptography;
using System.Text;

namespace Peregrine.Graph.Tests.Auth;

/// <summary>
/// Opens a stored TOTP secret with .NET's AES-GCM directly, following the documented layout (base64 of a
/// 12-byte nonce, the ciphertext and a 16-byte tag; the user's id as associated data), not the server's code.
/// </summary>
internal static class TotpSecretOracle
{
    public static string Open(byte[] key, Guid userId, string stored)
    {
        var data = Convert.FromBase64String(stored);
        var plain = new byte[data.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(data[..12], data[12..^16], data[^16..], plain, userId.ToByteArray());
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The key id the README documents: the first 8 bytes of SHA-256("peregrine-key-id:" + key), hex.</summary>
    public static string KeyId(byte[] key) =>
        Convert.ToHexStringLower(SHA256.HashData([.. "peregrine-key-id:"u8, .. key]), 0, 8);
}
