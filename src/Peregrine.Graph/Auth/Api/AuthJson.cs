using System.Text.Encodings.Web;
using System.Text.Json;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Peregrine.Graph.Auth.Api;

/// <summary>camelCase JSON as Hasura Auth speaks it, and a body reader that answers bad JSON with <c>invalid-request</c>.</summary>
public static class AuthJson
{
    private const int MaxBodyBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Reads a JSON body. Only <c>application/json</c> (or a <c>+json</c> type) is read: a cross-site HTML form can
    /// send <c>text/plain</c> without a preflight, and a body read regardless would let another site sign a
    /// browser in to an account of its choosing (login CSRF).
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!IsJson(request.ContentType)) throw AuthError.UnsupportedMediaType();
        if (request.ContentLength > MaxBodyBytes) throw AuthError.InvalidRequest("The request payload is too large");
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxBodyBytes) throw AuthError.InvalidRequest("The request payload is too large");
        }
        if (buffer.Length == 0) throw AuthError.InvalidRequest();
        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options)
                ?? throw AuthError.InvalidRequest();
        }
        catch (JsonException)
        {
            throw AuthError.InvalidRequest();
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType is { } type
        && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
