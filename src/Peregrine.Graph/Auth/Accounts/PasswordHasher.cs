using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Peregrine.Graph.Auth.Accounts;

/// <summary>
/// Argon2id in the PHC string format (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>, OWASP's minimum
/// parameters), so the parameters travel with each hash and can be raised later.
/// </summary>
public static class PasswordHasher
{
    private const int MemoryKiB = 19456, Iterations = 2, Parallelism = 1, SaltBytes = 16, HashBytes = 32;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, MemoryKiB, Iterations, Parallelism, HashBytes);
        return $"$argon2id$v=19$m={MemoryKiB},t={Iterations},p={Parallelism}${B64(salt)}${B64(hash)}";
    }

    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        // ["", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash]
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19") return false;
        try
        {
            var p = parts[3].Split(',').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => int.Parse(kv[1]));
            var salt = FromB64(parts[4]);
            var expected = FromB64(parts[5]);
            var actual = Compute(password, salt, p["m"], p["t"], p["p"], expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (Exception e) when (e is FormatException or KeyNotFoundException or IndexOutOfRangeException or OverflowException)
        {
            return false; // a malformed stored hash matches nothing
        }
    }

    /// <summary>Spends the time of a verification, so an unknown email answers as slowly as a wrong password.</summary>
    public static void VerifyNothing(string password) =>
        Compute(password, new byte[SaltBytes], MemoryKiB, Iterations, Parallelism, HashBytes);

    private static byte[] Compute(string password, byte[] salt, int memory, int iterations, int parallelism, int length)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt, MemorySize = memory, Iterations = iterations, DegreeOfParallelism = parallelism,
        };
        return argon.GetBytes(length);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string s) => Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
}
