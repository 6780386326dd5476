using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Execution;

/// <summary>
/// A result as the JSON of a GraphQL response in Hasura's shape, for every transport; the root fields'
/// JSON is copied, not parsed.
/// </summary>
public static class ResultJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(GraphQLResult result)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options)) Write(w, result, nullDataOnError: false);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <param name="nullDataOnError">Write <c>"data": null</c> beside errors raised during execution (GraphQL over HTTP's media type).</param>
    public static void Write(Utf8JsonWriter w, GraphQLResult result, bool nullDataOnError)
    {
        w.WriteStartObject();
        if (result.Data is { } data)
        {
            w.WriteStartObject("data");
            foreach (var (key, json) in data.Fields)
            {
                w.WritePropertyName(key);
                json.WriteTo(w);
            }
            w.WriteEndObject();
        }
        else
        {
            if (nullDataOnError && result.Phase == ErrorPhase.Execution) w.WriteNull("data");
            w.WritePropertyName("errors");
            WriteErrors(w, result.Errors);
        }
        w.WriteEndObject();
    }

    /// <summary><c>[{"message", "extensions": {"path", "code"}}]</c>.</summary>
    public static string Errors(IReadOnlyList<HasuraError> errors)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, Options)) WriteErrors(w, errors);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteErrors(Utf8JsonWriter w, IReadOnlyList<HasuraError> errors)
    {
        w.WriteStartArray();
        foreach (var e in errors)
        {
            w.WriteStartObject();
            w.WriteString("message", e.Message);
            w.WriteStartObject("extensions");
            w.WriteString("path", e.Path);
            w.WriteString("code", e.Code);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>True when the operation cannot run at all (as opposed to one run failing).</summary>
    public static bool IsFatal(GraphQLResult result) =>
        result.Data is null && result.Phase is not (ErrorPhase.Execution or ErrorPhase.None or ErrorPhase.Unavailable);
}
