using System.Net.Mail;

namespace Peregrine.Graph.Auth.Api;

/// <summary>Request checks shared by the endpoints; each failure is an <see cref="AuthError"/>.</summary>
internal static class Validate
{
    public static string Email(string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || !ProfileInput.IsCleanText(trimmed, allowControl: false) || trimmed.Length > 254 || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed)
            throw AuthError.InvalidRequest("\"email\" must be a valid email");
        // Lower-case, as the database's trigger stores every email (also ones an admin writes), so lookups match.
        return trimmed.ToLowerInvariant();
    }

    public static string NewPassword(string? password, AuthOptions options)
    {
        if (string.IsNullOrEmpty(password)) throw AuthError.InvalidRequest("\"password\" is required");
        if (password.Length > options.PasswordMaxLength)
            throw AuthError.InvalidRequest($"\"password\" must be at most {options.PasswordMaxLength} characters");
        if (password.Length < options.PasswordMinLength) throw AuthError.PasswordTooShort();
        return password;
    }

    /// <summary>A password to check (never hashed when oversized: that is a cheap CPU attack).</summary>
    public static string Password(string? password, AuthOptions options)
    {
        if (string.IsNullOrEmpty(password)) throw AuthError.InvalidRequest("\"password\" is required");
        if (password.Length > options.PasswordMaxLength) throw AuthError.InvalidEmailPassword();
        return password;
    }

    public static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw AuthError.InvalidRequest($"\"{name}\" is required") : value;
}
