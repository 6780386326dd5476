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

    public static GraphQLRequest FromQueryString(string? query, string? operationName, string? variables)
    {
        if (string.IsNullOrEmpty(query)) throw new ParseFailedError("key \"query\" not found");
        JsonObject? vars = null;
        if (!string.IsNullOrEmpty(variables))
        {
            vars = LastValueJson.Parse(variables, "$.variables") as JsonObject;
        }
        return new GraphQLRequest(query, string.IsNullOrEmpty(operationName) ? null : operationName, vars, vars?.ToJsonString());
    }

    private static GraphQLRequest FromObject(JsonObject o, string path)
    {
        if (o["query"] is not JsonValue q || !q.TryGetValue<string>(out var query))
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
        return new GraphQLRequest(query, operationName, variables, variables?.ToJsonString());
    }
}
