using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Auth.Jwt;

/// <summary>
/// JWT mode, when <c>PEREGRINE_JWT_SECRET</c> is set: its settings, keys and verifier, built once
/// (a bad setting stops start-up). <see cref="Verifier"/> is null when no JWT secret is configured.
/// </summary>
public sealed class JwtContext
{
    public JwtContext(PeregrineOptions options, JwksCache? jwks = null)
    {
        if (options.JwtSecret is not { } secret) return;
        var keys = new JwtKeys(JwtSettings.Parse(secret), jwks);
        Verifier = new JwtVerifier(keys);
    }

    public JwtVerifier? Verifier { get; }
    public JwtKeys? Keys => Verifier?.Keys;
    public JwtSettings? Settings => Keys?.Settings;
}
