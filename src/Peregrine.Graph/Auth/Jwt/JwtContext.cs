using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Auth.Jwt;

/// <summary>
/// JWT mode, when <c>PEREGRINE_JWT_SECRET</c> is set: its settings, keys and verifier, built once
/// (a bad setting stops start-up). <see cref="Verifier"/> is null when no JWT secret is configured.
/// </summary>
public sealed class JwtContext
{
    /// <param name="jwksFor">Builds the cache for a <c>jwk_url</c> (so the host can supply its HTTP client).</param>
    public JwtContext(PeregrineOptions options, Func<Uri, JwksCache>? jwksFor = null)
    {
        if (options.JwtSecret is not { } secret) return;
        var settings = JwtSettings.Parse(secret);
        var jwks = settings.JwkUrl is { } url ? (jwksFor ?? (u => new JwksCache(u, new HttpClient())))(url) : null;
        Verifier = new JwtVerifier(new JwtKeys(settings, jwks));
    }

    public JwtVerifier? Verifier { get; }
    public JwtKeys? Keys => Verifier?.Keys;
    public JwtSettings? Settings => Keys?.Settings;
}
