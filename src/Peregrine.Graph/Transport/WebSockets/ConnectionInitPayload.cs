using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Peregrine.Graph.Transport.WebSockets;

/// <summary>
/// Request headers from a <c>connection_init</c> payload, read as Hasura reads them: the string members
/// of <c>payload.headers</c>, and string members at the top level of the payload (a bare
/// <c>Authorization</c> or <c>x-hasura-admin-secret</c>). Names are case-insensitive, as headers are.
/// </summary>
internal static class ConnectionInitPayload
{
    public static HeaderDictionary Headers(JsonNode? payload)
    {
        var headers = new HeaderDictionary();
        if (payload is not JsonObject o) return headers;
        Add(headers, o);
        if (o["headers"] is JsonObject h) Add(headers, h);
        return headers;
    }

    private static void Add(HeaderDictionary headers, JsonObject values)
    {
        foreach (var (name, value) in values)
            if (value is JsonValue v && v.TryGetValue<string>(out var s)) headers[name] = s;
    }
}
