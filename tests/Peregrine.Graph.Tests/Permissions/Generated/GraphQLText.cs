using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Peregrine.Graph.Tests.Permissions.Generated;

/// <summary>Writes the literals the generated probes need: a sample value per scalar, and JSON as a GraphQL input value.</summary>
internal static class GraphQLText
{
    /// <summary>A value of <paramref name="scalar"/> that sorts before (or at) every stored value, as a GraphQL literal.</summary>
    public static string Lowest(string scalar) => scalar switch
    {
        "String" => "\"\"",
        "uuid" => "\"00000000-0000-0000-0000-000000000000\"",
        "timestamptz" or "timestamp" => "\"1900-01-01T00:00:00Z\"",
        "date" => "\"1900-01-01\"",
        "Int" or "smallint" => "-32768",
        "bigint" or "numeric" or "Float" or "float4" => "-1000000000",
        "Boolean" => "false",
        "jsonb" or "json" => "{}",
        "geography" or "geometry" => "{type: \"Point\", coordinates: [0, 0]}",
        _ => throw new NotSupportedException($"no sample literal for scalar {scalar}"),
    };

    /// <summary>A JSON value (a permission filter) as a GraphQL input literal: object keys bare, the rest as JSON.</summary>
    public static string Literal(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null: sb.Append("null"); break;
            case JsonObject o:
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in o)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(k).Append(": ");
                    Write(sb, v);
                }
                sb.Append('}');
                break;
            case JsonArray a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, a[i]);
                }
                sb.Append(']');
                break;
            default: sb.Append(node.ToJsonString()); break;
        }
    }

    /// <summary>Session variables (<c>"X-Hasura-User-Id"</c>, any case) in a permission filter replaced by their values.</summary>
    public static JsonNode? Substitute(JsonNode? node, IReadOnlyDictionary<string, string> session) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Substitute(p.Value, session)))),
        JsonArray a => new JsonArray(a.Select(x => Substitute(x, session)).ToArray()),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().StartsWith("x-hasura-", StringComparison.OrdinalIgnoreCase)
            => JsonValue.Create(session[v.GetValue<string>().ToLowerInvariant()]),
        _ => node?.DeepClone(),
    };
}
