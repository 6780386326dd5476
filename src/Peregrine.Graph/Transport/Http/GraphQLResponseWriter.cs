using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;

namespace Peregrine.Graph.Transport.Http;

/// <summary>
/// Writes results in Hasura's shape. The JSON of each root field, built by PostgreSQL, is copied into
/// the response without being parsed. Status codes follow Hasura for <c>application/json</c> and the
/// GraphQL-over-HTTP spec for <c>application/graphql-response+json</c>.
/// </summary>
public static class GraphQLResponseWriter
{
    public const string GraphQLResponseMediaType = "application/graphql-response+json";
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool WantsSpecMediaType(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(GraphQLResponseMediaType, StringComparison.OrdinalIgnoreCase));

    public static async Task WriteAsync(HttpContext http, IReadOnlyList<GraphQLResult> results, bool isBatch)
    {
        var spec = WantsSpecMediaType(http.Request);
        http.Response.StatusCode = isBatch ? StatusCodes.Status200OK : StatusCode(results[0].Phase, spec);
        if (results.SelectMany(r => r.Errors).OfType<TooManyRequestsError>().FirstOrDefault() is { } limited)
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.ContentType = (spec ? GraphQLResponseMediaType : "application/json") + "; charset=utf-8";
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, Options);
        if (results.Any(r => r.Phase == ErrorPhase.Unavailable)) http.Response.Headers.RetryAfter = "1";
        if (isBatch) writer.WriteStartArray();
        // The spec's media type says data is present (null) once execution has started.
        foreach (var r in results) ResultJson.Write(writer, r, nullDataOnError: spec);
        if (isBatch) writer.WriteEndArray();
        await writer.FlushAsync();
    }

    /// <summary>
    /// A batch, written and flushed one answer at a time as <paramref name="next"/> produces them (status 200:
    /// each operation's errors are in its own answer).
    /// </summary>
    public static async Task WriteBatchAsync(HttpContext http, int count, Func<int, Task<GraphQLResult>> next)
    {
        var spec = WantsSpecMediaType(http.Request);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = (spec ? GraphQLResponseMediaType : "application/json") + "; charset=utf-8";
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, Options);
        writer.WriteStartArray();
        for (var i = 0; i < count; i++)
        {
            ResultJson.Write(writer, await next(i), nullDataOnError: spec);
            await writer.FlushAsync();
        }
        writer.WriteEndArray();
        await writer.FlushAsync();
    }

    public static Task WriteErrorAsync(HttpContext http, HasuraError error, ErrorPhase phase) =>
        WriteAsync(http, [GraphQLResult.Failed(error, phase)], isBatch: false);

    private static int StatusCode(ErrorPhase phase, bool spec) => phase switch
    {
        ErrorPhase.None or ErrorPhase.Execution => StatusCodes.Status200OK,
        ErrorPhase.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorPhase.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorPhase.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorPhase.Request => StatusCodes.Status400BadRequest,
        ErrorPhase.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorPhase.Validation => spec ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK,
        ErrorPhase.Authorization => spec ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK,
        _ => StatusCodes.Status200OK
    };
}
