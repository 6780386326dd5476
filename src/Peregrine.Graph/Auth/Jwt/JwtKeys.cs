using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Peregrine.Graph.Auth.Jwt;

/// <summary>
/// The keys of a <see cref="JwtSettings"/>: the one that verifies incoming tokens (a fixed key, or
/// those served at <c>jwk_url</c>), and the one that signs the access tokens the auth endpoints issue.
/// </summary>
public sealed class JwtKeys
{
    private readonly SecurityKey? _verificationKey;
    private readonly JwksCache? _jwks;

    public JwtKeys(JwtSettings settings, JwksCache? jwks = null)
    {
        Settings = settings;
        if (settings.JwkUrl is not null)
        {
            _jwks = jwks ?? throw new ArgumentNullException(nameof(jwks), "a jwk_url needs its JwksCache");
            return;
        }
        var type = settings.Type!;
        Algorithm = type switch
        {
            "HS256" => SecurityAlgorithms.HmacSha256,
            "HS384" => SecurityAlgorithms.HmacSha384,
            "HS512" => SecurityAlgorithms.HmacSha512,
            "RS256" => SecurityAlgorithms.RsaSha256,
            "RS384" => SecurityAlgorithms.RsaSha384,
            "RS512" => SecurityAlgorithms.RsaSha512,
            "ES256" => SecurityAlgorithms.EcdsaSha256,
            "ES384" => SecurityAlgorithms.EcdsaSha384,
            "ES512" => SecurityAlgorithms.EcdsaSha512,
            "Ed25519" => throw JwtSettings.Invalid("Ed25519 keys are not supported by Peregrine; use RS256, ES256 or an HS key"),
            _ => throw JwtSettings.Invalid($"Key type: {type} is not supported"),
        };
        if (type.StartsWith("HS", StringComparison.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(settings.Key!);
            var bits = int.Parse(type.AsSpan(2));
            if (bytes.Length * 8 < bits)
                throw JwtSettings.Invalid($"Key size too small; should be at least {bits / 8} characters");
            _verificationKey = new SymmetricSecurityKey(bytes);
            SigningCredentials = new SigningCredentials(_verificationKey, Algorithm);
        }
        else
        {
            _verificationKey = type[0] == 'R' ? RsaPublicKey(settings.Key!) : EcPublicKey(settings.Key!);
            if (settings.SigningKey is { } pem)
            {
                SecurityKey signing = type[0] == 'R' ? new RsaSecurityKey(Import(RSA.Create(), pem)) : new ECDsaSecurityKey(Import(ECDsa.Create(), pem));
                signing.KeyId = KeyId;
                SigningCredentials = new SigningCredentials(signing, Algorithm);
            }
        }
        // HMAC keys get no kid: an id derived from a secret would leak a hash of it.
        if (_verificationKey is AsymmetricSecurityKey) _verificationKey.KeyId = KeyId;
    }

    public JwtSettings Settings { get; }

    /// <summary>The algorithm of a configured key; null with <c>jwk_url</c> (the JWKS names each key's own).</summary>
    public string? Algorithm { get; }

    /// <summary>Null when Peregrine cannot issue tokens (a <c>jwk_url</c>, or a public key without <c>signing_key</c>).</summary>
    public SigningCredentials? SigningCredentials { get; }

    public bool IsAsymmetric => _verificationKey is AsymmetricSecurityKey;

    /// <summary>A stable id for the configured key, sent as <c>kid</c> and listed in the JWKS document.</summary>
    public string KeyId => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Settings.Key ?? "")))[..16];

    /// <summary>The keys a token may be signed with, from memory (the last good JWKS with <c>jwk_url</c>).</summary>
    public IEnumerable<SecurityKey> VerificationKeys() => _verificationKey is not null ? [_verificationKey] : _jwks!.Keys;

    /// <summary>The key set behind <c>jwk_url</c>; null with a configured key.</summary>
    public JwksCache? Jwks => _jwks;

    /// <summary>The public key as a JWK, for <c>/.well-known/jwks.json</c>; null for HMAC keys, which must stay secret.</summary>
    public JsonWebKey? PublicJwk()
    {
        var jwk = _verificationKey switch
        {
            RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(rsa),
            ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(ec),
            _ => null,
        };
        if (jwk is null) return null;
        jwk.Alg = Algorithm;
        jwk.Use = "sig";
        return jwk;
    }

    private static RsaSecurityKey RsaPublicKey(string pem)
    {
        if (pem.Contains("CERTIFICATE", StringComparison.Ordinal))
            return new RsaSecurityKey(X509Certificate2.CreateFromPem(pem).GetRSAPublicKey()!);
        return new RsaSecurityKey(Import(RSA.Create(), pem));
    }

    private static ECDsaSecurityKey EcPublicKey(string pem)
    {
        if (pem.Contains("CERTIFICATE", StringComparison.Ordinal))
            return new ECDsaSecurityKey(X509Certificate2.CreateFromPem(pem).GetECDsaPublicKey()!);
        return new ECDsaSecurityKey(Import(ECDsa.Create(), pem));
    }

    private static T Import<T>(T algorithm, string pem) where T : AsymmetricAlgorithm
    {
        try { algorithm.ImportFromPem(pem); return algorithm; }
        catch (ArgumentException e) { throw JwtSettings.Invalid($"the key is not a PEM key or certificate ({e.Message})"); }
    }
}
