using System.Text.Json;

namespace Peregrine.Graph.Auth.Jwt;

public enum ClaimsFormat { Json, StringifiedJson }

/// <summary>
/// <c>PEREGRINE_JWT_SECRET</c> / <c>HASURA_GRAPHQL_JWT_SECRET</c> in Hasura's JSON form:
/// <c>{"type", "key" | "jwk_url", "claims_namespace" | "claims_namespace_path", "claims_format", "audience",
/// "issuer", "allowed_skew"}</c>, plus Hasura Auth's <c>signing_key</c> (the private key that signs the
/// access tokens Peregrine issues when <c>key</c> is an asymmetric public key).
/// </summary>
public sealed record JwtSettings
{
    public const string DefaultClaimsNamespace = "https://hasura.io/jwt/claims";

    public string? Type { get; init; }
    public string? Key { get; init; }
    public string? SigningKey { get; init; }
    public Uri? JwkUrl { get; init; }
    public string ClaimsNamespace { get; init; } = DefaultClaimsNamespace;
    /// <summary>When set, the claims are found by this path instead of under <see cref="ClaimsNamespace"/>.</summary>
    public ClaimsPath? ClaimsNamespacePath { get; init; }
    public ClaimsFormat ClaimsFormat { get; init; } = ClaimsFormat.Json;
    public IReadOnlyList<string> Audiences { get; init; } = [];
    public string? Issuer { get; init; }
    /// <summary>Hasura's default skew is zero, unlike JwtBearer's five minutes.</summary>
    public TimeSpan AllowedSkew { get; init; } = TimeSpan.Zero;

    /// <summary>Parses the setting; a mistake stops start-up with a message naming the field.</summary>
    public static JwtSettings Parse(string json)
    {
        JsonElement o;
        try { o = JsonDocument.Parse(json).RootElement; }
        // Not e.Message: it quotes the text, and this text is a secret.
        catch (JsonException e) { throw Invalid($"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"); }
        if (o.ValueKind != JsonValueKind.Object) throw Invalid("expected a JSON object");

        var key = String(o, "key");
        var jwkUrl = String(o, "jwk_url");
        if (key is null && jwkUrl is null) throw Invalid("key and jwk_url both cannot be empty");
        if (key is not null && jwkUrl is not null) throw Invalid("key, jwk_url both cannot be present");
        var type = String(o, "type");
        if (key is not null && type is null) throw Invalid("\"type\" is required with \"key\"");

        var ns = String(o, "claims_namespace");
        var nsPath = String(o, "claims_namespace_path");
        if (ns is not null && nsPath is not null) throw Invalid("claims_namespace and claims_namespace_path both cannot be set");

        return new JwtSettings
        {
            Type = type,
            Key = key,
            SigningKey = String(o, "signing_key"),
            JwkUrl = jwkUrl is null ? null
                : Uri.TryCreate(jwkUrl, UriKind.Absolute, out var url) ? url : throw Invalid($"jwk_url is not an absolute URL: {jwkUrl}"),
            ClaimsNamespace = ns ?? DefaultClaimsNamespace,
            ClaimsNamespacePath = nsPath is null ? null : ClaimsPath.Parse(nsPath),
            ClaimsFormat = String(o, "claims_format") switch
            {
                null or "json" => ClaimsFormat.Json,
                "stringified_json" => ClaimsFormat.StringifiedJson,
                var f => throw Invalid($"claims_format must be json or stringified_json, not {f}"),
            },
            Audiences = Audience(o),
            Issuer = String(o, "issuer"),
            AllowedSkew = o.TryGetProperty("allowed_skew", out var skew) && skew.ValueKind == JsonValueKind.Number
                ? TimeSpan.FromSeconds(skew.GetDouble()) : TimeSpan.Zero,
        };
    }

    private static string[] Audience(JsonElement o)
    {
        if (!o.TryGetProperty("audience", out var a) || a.ValueKind == JsonValueKind.Null) return [];
        if (a.ValueKind == JsonValueKind.String) return [a.GetString()!];
        if (a.ValueKind == JsonValueKind.Array && a.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String))
            return a.EnumerateArray().Select(x => x.GetString()!).ToArray();
        throw Invalid("audience must be a string or an array of strings");
    }

    private static string? String(JsonElement o, string name) =>
        !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw Invalid($"\"{name}\" must be a string");

    internal static InvalidSecretException Invalid(string why) => new(why);

    /// <summary>The secret cannot be used; <see cref="Reason"/> says why without repeating the variable's name.</summary>
    public sealed class InvalidSecretException(string reason)
        : InvalidOperationException($"PEREGRINE_JWT_SECRET (or HASURA_GRAPHQL_JWT_SECRET) is invalid: {reason}")
    {
        public string Reason { get; } = reason;
    }
}
