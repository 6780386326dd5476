using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Transport;

/// <summary>
/// Reads a client's JSON (an HTTP body, a websocket message) the way Hasura does: a key given twice keeps
/// its last value, and text that is not valid UTF-8 is <c>invalid-json</c>. <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/>
/// does neither: a duplicate key throws when the object is first used, and bad UTF-8 throws when a string
/// is read, both far from here and both unexpected (a 500, a websocket closed with 4500). Every string is
/// decoded here, so nothing later can meet an undecodable one.
/// </summary>
public static class LastValueJson
{
    /// <exception cref="InvalidJsonError">The text is not JSON, not UTF-8, or nests deeper than 64 levels.</exception>
    public static JsonNode? Parse(ReadOnlyMemory<byte> utf8, string path = "$")
    {
        try
        {
            // One clone of the whole document: the numbers below point into it (a clone per number costs seconds at 100,000).
            using var document = JsonDocument.Parse(utf8);
            return Copy(document.RootElement.Clone());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidJsonError($"Error in {path}: {Describe(e)}", path);
        }
    }

    public static JsonNode? Parse(string text, string path = "$")
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return Copy(document.RootElement.Clone());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidJsonError($"Error in {path}: {Describe(e)}", path);
        }
    }

    private static string Describe(Exception e) => e is JsonException ? e.Message : "the text is not valid UTF-8 JSON";

    // Recursion is bounded by JsonDocument's maximum depth (64).
    private static JsonNode? Copy(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var o = new JsonObject();
                foreach (var p in e.EnumerateObject()) o[p.Name] = Copy(p.Value); // a repeated key: the last value stays
                return o;
            case JsonValueKind.Array:
                var a = new JsonArray();
                foreach (var item in e.EnumerateArray()) a.Add(Copy(item));
                return a;
            case JsonValueKind.String:
                return JsonValue.Create(e.GetString()!);
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(e.GetBoolean());
            default:
                return JsonValue.Create(e); // a number, exactly as sent
        }
    }
}
