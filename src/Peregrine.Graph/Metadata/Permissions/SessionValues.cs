using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Metadata.Permissions;

/// <summary>Replaces operands that name a session variable (<c>"X-Hasura-User-Id"</c>, any case) with the session's value.</summary>
public static class SessionValues
{
    public static bool IsSessionVariable(string s) => s.StartsWith("x-hasura-", StringComparison.OrdinalIgnoreCase);

    public static JsonNode? Substitute(JsonNode? node, Func<string, string?> lookup) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Substitute(p.Value, lookup)))),
        JsonArray a => new JsonArray(a.Select(x => Substitute(x, lookup)).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && IsSessionVariable(v.GetValue<string>()) =>
            JsonValue.Create(lookup(v.GetValue<string>().ToLowerInvariant())
                ?? throw new AccessDeniedError($"missing session variable: \"{v.GetValue<string>()}\"")),
        _ => node?.DeepClone()
    };
}
