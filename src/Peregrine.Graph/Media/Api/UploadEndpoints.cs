using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Media.Files;

namespace Peregrine.Graph.Media.Api;

/// <summary>The seed's upload flow: presign, the local backend's signed PUT, and complete.</summary>
public static class UploadEndpoints
{
    private const int MaxPresignBody = 16 * 1024;

    public sealed record PresignResponse(Guid Id, string UploadUrl, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);
    public sealed record PutResponse(Guid Id, long Size);

    /// <summary><c>POST /v1/files/presigned-upload {name, mimeType, size}</c>: refused by declared size before any byte is sent.</summary>
    public static async Task<Ok<PresignResponse>> PresignAsync(HttpRequest request, SessionResolver sessions, MutationRateLimiter limiter,
        UploadPipeline pipeline, CancellationToken ct)
    {
        var session = await FileSessions.UploaderAsync(request, sessions, limiter, ct);
        var (name, mimeType, size) = await ReadPresignAsync(request, ct);
        var p = await pipeline.PresignAsync(name, mimeType, size, UploadPipeline.UserId(session), FileSessions.BaseUrl(request), ct);
        return TypedResults.Ok(new PresignResponse(p.Id, p.UploadUrl, p.Method, p.Headers, p.ExpiresAt));
    }

    /// <summary><c>PUT /v1/files/{id}/upload?expires=&amp;signature=</c>: the signature is the credential.</summary>
    public static async Task<Ok<PutResponse>> PutAsync(string id, HttpRequest request, UploadPipeline pipeline, CancellationToken ct)
    {
        var fileId = FilesApi.ParseId(id);
        var size = await pipeline.ReceiveAsync(fileId, request.Query["expires"], request.Query["signature"], request.Body,
            request.ContentLength, ct);
        return TypedResults.Ok(new PutResponse(fileId, size));
    }

    /// <summary><c>POST /v1/files/{id}/complete</c>: validate; 200 with the metadata, or the reason it was refused.</summary>
    public static async Task<Ok<FileMetadata>> CompleteAsync(string id, HttpRequest request, SessionResolver sessions, MutationRateLimiter limiter,
        UploadPipeline pipeline, CancellationToken ct)
    {
        var fileId = FilesApi.ParseId(id);
        var session = await FileSessions.UploaderAsync(request, sessions, limiter, ct);
        return TypedResults.Ok(await pipeline.CompleteAsync(fileId, session, FileSessions.BaseUrl(request), ct));
    }

    private static async Task<(string Name, string MimeType, long Size)> ReadPresignAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxPresignBody) throw FileApiError.BadRequest("request body too large");
        JsonDocument doc;
        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[4096];
            int n;
            while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
            {
                if (limited.Length + n > MaxPresignBody) throw FileApiError.BadRequest("request body too large");
                limited.Write(buffer, 0, n);
            }
            doc = JsonDocument.Parse(limited.ToArray());
        }
        catch (JsonException)
        {
            throw FileApiError.BadRequest("the body must be JSON: {\"name\", \"mimeType\", \"size\"}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw FileApiError.BadRequest("the body must be a JSON object");
            if (!root.TryGetProperty("size", out var sizeEl) || sizeEl.ValueKind != JsonValueKind.Number || !sizeEl.TryGetInt64(out var size) || size < 0)
                throw FileApiError.BadRequest("size (bytes, a non-negative integer) is required");
            if (!root.TryGetProperty("mimeType", out var mimeEl) || mimeEl.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(mimeEl.GetString()))
                throw FileApiError.BadRequest("mimeType is required");
            var name = root.TryGetProperty("name", out var nameEl) && nameEl.ValueKind == JsonValueKind.String ? nameEl.GetString()! : "";
            if (name.Length > 1024) throw FileApiError.BadRequest("name is too long");
            return (name, mimeEl.GetString()!.Trim(), size);
        }
    }
}
