using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;

namespace Peregrine.Graph.Transport.Http;

/// <summary>Reads GraphQL requests from a POST body (one object, or an array for a batch) or a GET query string.</summary>
public static class GraphQLRequestReader
{
    /// <summary>The requests in a body, and whether the body was a batch.</summary>
    public static (List<GraphQLRequest> Requests, bool IsBatch) FromBody(ReadOnlyMemory<byte> body)
    {
        // A sensor batch in the shape devices send is read from its bytes, without a JsonNode per value.
        if (SensorBatchBody.TryRead(body) is { } batch) return ([batch], false);
        var root = LastValueJson.Parse(body);

        return root switch
        {
            JsonObject o => ([FromObject(o, "$")], false),
            JsonArray a => (a.Select((x, i) => x is JsonObject o
                ? FromObject(o, $"$[{i}]")
                : throw new ParseFailedError("expected an object", $"$[{i}]")).ToList(), true),
            _ => throw new ParseFailedError("expected an object or an array of objects")
        };
    }

    public static GraphQLRequest FromQueryString(string? query, string? operationName, string? variables, string? extensions = null)
    {
        var persisted = string.IsNullOrEmpty(extensions) ? null
            : Persisted(LastValueJson.Parse(extensions, "$.extensions") as JsonObject, "$.extensions");
        if (string.IsNullOrEmpty(query) && persisted is null) throw new ParseFailedError("key \"query\" not found");
        JsonObject? vars = null;
        if (!string.IsNullOrEmpty(variables))
        {
            vars = LastValueJson.Parse(variables, "$.variables") as JsonObject;
        }
        return new GraphQLRequest(query ?? "", string.IsNullOrEmpty(operationName) ? null : operationName, vars)
        {
            PersistedQuery = persisted,
        };
    }

    private static GraphQLRequest FromObject(JsonObject o, string path)
    {
        var persisted = Persisted(o["extensions"] as JsonObject, $"{path}.extensions");
        string? query = null;
        if ((o["query"] is not JsonValue q || !q.TryGetValue(out query)) && persisted is null)
            throw new ParseFailedError("key \"query\" not found", path);
        string? operationName = null;
        if (o["operationName"] is JsonValue op && !op.TryGetValue(out operationName))
            throw new ParseFailedError("expected a string for \"operationName\"", $"{path}.operationName");
        var variables = o["variables"] switch
        {
            null => null,
            JsonObject v => v,
            _ => throw new ParseFailedError("expected an object for \"variables\"", $"{path}.variables")
        };
        return new GraphQLRequest(query ?? "", operationName, variables) { PersistedQuery = persisted };
    }

    // Apollo's {"persistedQuery": {"version": 1, "sha256Hash": "<64 hex>"}}; other extensions are ignored.
    private static PersistedQueryRef? Persisted(JsonObject? extensions, string path)
    {
        if (extensions?["persistedQuery"] is not { } node) return null;
        if (node is not JsonObject pq || pq["sha256Hash"] is not JsonValue h || !h.TryGetValue<string>(out var hash)
            || hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
            throw new ParseFailedError("expected {\"version\": 1, \"sha256Hash\": \"<64 hex digits>\"}", $"{path}.persistedQuery");
        var version = pq["version"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 1;
        return new PersistedQueryRef(version, hash.ToLowerInvariant());
    }
}
