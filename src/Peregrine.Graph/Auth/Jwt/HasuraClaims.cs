using System.Text;
using System.Text.Json;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Auth.Jwt;

/// <summary>
/// The <c>x-hasura-*</c> claims of a verified token: the allowed and default roles, and every other
/// <c>x-hasura-*</c> claim as a session variable (names lower-cased, as Hasura compares them
/// case-insensitively).
/// </summary>
public sealed record HasuraClaims(IReadOnlyList<string> AllowedRoles, string DefaultRole, IReadOnlyDictionary<string, string> Variables)
{
    public const string AllowedRolesClaim = "x-hasura-allowed-roles";
    public const string DefaultRoleClaim = "x-hasura-default-role";

    public static HasuraClaims Read(JsonElement payload, JwtSettings settings)
    {
        var claims = Locate(payload, settings);
        var all = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in claims.EnumerateObject())
            if (p.Name.StartsWith("x-hasura-", StringComparison.OrdinalIgnoreCase))
                all[p.Name.ToLowerInvariant()] = p.Value;

        if (!all.Remove(AllowedRolesClaim, out var allowed))
            throw new JwtMissingRoleClaimsError($"JWT claim does not contain {AllowedRolesClaim}");
        if (!all.Remove(DefaultRoleClaim, out var defaultRole))
            throw new JwtMissingRoleClaimsError($"JWT claim does not contain {DefaultRoleClaim}");
        if (allowed.ValueKind != JsonValueKind.Array || allowed.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            throw new JwtInvalidClaimsError($"invalid {AllowedRolesClaim}; should be a list of roles");
        if (defaultRole.ValueKind != JsonValueKind.String)
            throw new JwtInvalidClaimsError($"invalid {DefaultRoleClaim}; should be a single role name");

        return new HasuraClaims(
            allowed.EnumerateArray().Select(r => r.GetString()!).ToList(),
            defaultRole.GetString()!,
            all.ToDictionary(kv => kv.Key, kv => VariableText(kv.Value)));
    }

    private static JsonElement Locate(JsonElement payload, JwtSettings settings)
    {
        JsonElement value;
        if (settings.ClaimsNamespacePath is { } path)
        {
            if (!path.TryEvaluate(payload, out value))
                throw new JwtInvalidClaimsError($"claims not found at claims_namespace_path: '{path}'");
        }
        else if (!payload.TryGetProperty(settings.ClaimsNamespace, out value))
            throw new JwtInvalidClaimsError($"claims key: '{settings.ClaimsNamespace}' not found");

        if (settings.ClaimsFormat == ClaimsFormat.Json)
            return value.ValueKind == JsonValueKind.Object ? value
                : throw new JwtInvalidClaimsError("expecting a json object when claims_format is json");

        if (value.ValueKind != JsonValueKind.String)
            throw new JwtInvalidClaimsError("expecting a string when claims_format is stringified_json");
        var text = value.GetString()!;
        try
        {
            var parsed = JsonDocument.Parse(text).RootElement;
            if (parsed.ValueKind == JsonValueKind.Object) return parsed;
        }
        catch (JsonException) { }
        var location = settings.ClaimsNamespacePath is { } p ? $"claims_namespace_path {p}" : $"claims_namespace {settings.ClaimsNamespace}";
        throw new JwtInvalidClaimsError($"expecting stringified json at: '{location}', but found: {text}");
    }

    /// <summary>
    /// Session variables are text. A JSON array becomes a PostgreSQL array literal (<c>{a,b}</c>), the form
    /// Hasura's docs use for list-valued variables; other non-strings keep their JSON text.
    /// </summary>
    private static string VariableText(JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String: return v.GetString()!;
            case JsonValueKind.Array:
                var sb = new StringBuilder("{");
                foreach (var item in v.EnumerateArray())
                {
                    if (sb.Length > 1) sb.Append(',');
                    var s = item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
                    sb.Append('"').Append(s.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
                }
                return sb.Append('}').ToString();
            default: return v.GetRawText();
        }
    }
}
