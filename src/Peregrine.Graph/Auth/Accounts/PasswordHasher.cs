using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Peregrine.Graph.Auth.Accounts;

/// <summary>
/// Argon2id in the PHC string format (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>, OWASP's minimum
/// parameters), so the parameters travel with each hash and can be raised later. Bcrypt hashes (<c>$2a$</c>,
/// <c>$2b$</c>, <c>$2y$</c>: what Hasura Auth and Nhost store) verify too, so migrated users keep their passwords;
/// <see cref="NeedsRehash"/> tells the sign-in to replace them with Argon2id once the password is known.
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
        if (IsBcrypt(encoded)) return VerifyBcrypt(password, encoded);
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

    /// <summary>Whether <paramref name="encoded"/> is weaker than what <see cref="Hash"/> writes today.</summary>
    public static bool NeedsRehash(string encoded) =>
        !encoded.StartsWith($"$argon2id$v=19$m={MemoryKiB},t={Iterations},p={Parallelism}$", StringComparison.Ordinal);

    private static bool IsBcrypt(string encoded) =>
        encoded.Length == 60 && encoded[0] == '$' && encoded[1] == '2' && encoded[2] is 'a' or 'b' or 'y' && encoded[3] == '$';

    /// <summary>Bcrypt's cost is in the stored hash; one from a bad import (cost 31) would hang a core for hours.</summary>
    private static bool VerifyBcrypt(string password, string encoded)
    {
        if (!int.TryParse(encoded.AsSpan(4, 2), out var cost) || cost is < 4 or > 16) return false;
        try { return BCrypt.Net.BCrypt.Verify(password, encoded); }
        catch (BCrypt.Net.SaltParseException) { return false; }
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
