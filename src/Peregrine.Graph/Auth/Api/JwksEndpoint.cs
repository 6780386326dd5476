using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Peregrine.Graph.Auth.Jwt;

namespace Peregrine.Graph.Auth.Api;

/// <summary><c>GET /.well-known/jwks.json</c>: the public key of an asymmetric JWT secret (empty for HMAC keys, which stay secret).</summary>
public static class JwksEndpoint
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static JsonHttpResult<object> Get(JwtContext jwt)
    {
        var keys = jwt.Keys?.PublicJwk() is { } jwk
            ? new[] { new { kty = jwk.Kty, alg = jwk.Alg, use = jwk.Use, kid = jwk.Kid, n = jwk.N, e = jwk.E, crv = jwk.Crv, x = jwk.X, y = jwk.Y } }
            : [];
        return TypedResults.Json<object>(new { keys }, Options);
    }
}
