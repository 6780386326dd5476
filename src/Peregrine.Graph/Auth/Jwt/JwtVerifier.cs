using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Auth.Jwt;

/// <summary>
/// Verifies a compact JWT with JwtBearer's token handler (<see cref="JsonWebTokenHandler"/>, claims left
/// unmapped) and returns its payload. Failures become <see cref="InvalidJwtError"/> worded as Hasura
/// words them (<c>Could not verify JWT: JWTExpired</c>, ...).
/// </summary>
public sealed class JwtVerifier
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly JwtKeys _keys;
    private readonly TokenValidationParameters _parameters;

    public JwtVerifier(JwtKeys keys)
    {
        _keys = keys;
        var s = keys.Settings;
        _parameters = new TokenValidationParameters
        {
            // Only the configured algorithm: an HS key must never verify an RS token (key confusion), nor "none".
            ValidAlgorithms = keys.Algorithm is { } alg ? [alg] : null,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeyResolver = (_, _, kid, _) => ResolveKeys(kid),
            ValidateAudience = s.Audiences.Count > 0,
            ValidAudiences = s.Audiences,
            ValidateIssuer = s.Issuer is not null,
            ValidIssuer = s.Issuer,
            ValidateLifetime = true,
            RequireExpirationTime = false, // Hasura accepts tokens without exp
            ClockSkew = s.AllowedSkew,
        };
    }

    public JwtKeys Keys => _keys;

    /// <summary>The verified payload, or <see cref="InvalidJwtError"/>.</summary>
    public JsonElement Verify(string token)
    {
        TokenValidationResult result;
        try
        {
            // Completes synchronously: keys come from memory (a JWKS is fetched beforehand, by PrepareAsync).
            result = _handler.ValidateTokenAsync(token, _parameters).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            throw new InvalidJwtError("Could not verify JWT: " + Describe(e));
        }
        if (!result.IsValid) throw new InvalidJwtError("Could not verify JWT: " + Describe(result.Exception));
        var jwt = (JsonWebToken)result.SecurityToken;
        return JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)).RootElement;
    }

    private IEnumerable<SecurityKey> ResolveKeys(string? kid) => _keys.VerificationKeys();

    /// <summary>
    /// With <c>jwk_url</c>: waits (asynchronously) until the key set can judge <paramref name="token"/>: the
    /// first set, or a fresh one when the token names a key id not in it. <see cref="Verify"/> then runs from memory.
    /// </summary>
    public ValueTask PrepareAsync(string token, CancellationToken ct)
    {
        if (_keys.Jwks is not { } jwks) return ValueTask.CompletedTask;
        string? kid;
        try { kid = new JsonWebToken(token).Kid; }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException) { return ValueTask.CompletedTask; } // Verify words the error
        return jwks.EnsureAsync(string.IsNullOrEmpty(kid) ? null : kid, ct);
    }

    /// <summary>Hasura's (jose's) names for the failures, so clients matching on them keep working.</summary>
    private static string Describe(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "JWTExpired",
        SecurityTokenNotYetValidException => "JWTNotYetValid",
        SecurityTokenInvalidAudienceException => "JWTNotInAudience",
        SecurityTokenInvalidIssuerException => "JWTNotInIssuer",
        SecurityTokenInvalidAlgorithmException => "JWSError (AlgorithmMismatch \"the token's algorithm is not the configured one\")",
        SecurityTokenInvalidSignatureException when e.Message.Contains("IDX10504", StringComparison.Ordinal) => "JWSError JWSNoSignatures",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "JWSError JWSInvalidSignature",
        SecurityTokenMalformedException or ArgumentException => "JWSError (CompactDecodeError \"the token is not a compact JWS\")",
        _ => "JWSError JWSInvalidSignature",
    };
}
