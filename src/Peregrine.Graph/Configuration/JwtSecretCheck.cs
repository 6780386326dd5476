using Peregrine.Graph.Auth.Jwt;

namespace Peregrine.Graph.Configuration;

/// <summary>Checks the JWT secret the way the server will use it: the JSON, and a configured key's type and size.</summary>
internal static class JwtSecretCheck
{
    public static string Validate(string secret)
    {
        try
        {
            var settings = JwtSettings.Parse(secret);
            if (settings.JwkUrl is null) _ = new JwtKeys(settings);
            return secret;
        }
        // JwtSettings words its own message with the variable's name; keep only the reason.
        catch (JwtSettings.InvalidSecretException e) { throw new FormatException(e.Reason); }
    }
}
