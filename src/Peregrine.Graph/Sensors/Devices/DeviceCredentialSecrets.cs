using System.Security.Cryptography;
using System.Text;

namespace Peregrine.Graph.Sensors.Devices;

/// <summary>
/// Device client ids and secrets. A secret is 256 random bits, so a fast hash is enough to keep it unusable
/// at rest (no dictionary to attack, unlike passwords): SHA-256, compared in constant time.
/// </summary>
public static class DeviceCredentialSecrets
{
    public const string ClientIdPrefix = "dev_";
    /// <summary>Longest client id or secret the token endpoint reads (ours are 28 and 43 characters).</summary>
    public const int MaxLength = 128;

    public static string NewClientId() => ClientIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
