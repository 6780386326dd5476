using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Media.Files;
using Peregrine.Graph.Media.Storage;

namespace Peregrine.Graph.Media.Api;

/// <summary>
/// Hasura Storage's direct upload, <c>POST /v1/files</c> as multipart/form-data: each <c>file[]</c> part streams
/// into staging (never buffered whole) and is then completed exactly like a presigned upload. Optional
/// <c>bucket-id</c> and <c>metadata[]</c> (<c>{"id", "name"}</c> for the next file) parts come before the files.
/// One request carries at most PEREGRINE_STORAGE_MAX_FILES_PER_REQUEST files totalling at most
/// PEREGRINE_STORAGE_MAX_REQUEST_BYTES (413 <c>too-many-files</c> / <c>request-too-large</c>, storing none of them).
/// </summary>
public static class MultipartUploadEndpoint
{
    public sealed record UploadResponse(IReadOnlyList<FileMetadata> ProcessedFiles);

    private const long FormOverheadBytes = 1024 * 1024;

    public static async Task<Created<UploadResponse>> PostAsync(HttpRequest request, SessionResolver sessions, MutationRateLimiter limiter,
        UploadPipeline pipeline, FileRecords records, IFileStorage storage, MediaOptions options, CancellationToken ct)
    {
        var session = await FileSessions.UploaderAsync(request, sessions, limiter, ct);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ||
            !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            throw FileApiError.BadRequest("expected multipart/form-data with one or more file[] parts");

        // Bounded before anything is stored: a declared body beyond the file budget (plus room for the form's own
        // headers and boundaries) is refused unread; a streamed one is counted part by part below.
        if (request.ContentLength > options.MaxRequestBytes + FormOverheadBytes) throw FileApiError.RequestTooLarge(options.MaxRequestBytes);

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        var processed = new List<FileMetadata>();
        var pending = new Queue<(Guid? Id, string? Name)>();
        var baseUrl = FileSessions.BaseUrl(request);
        // bucket-id, and a metadata[] for each file: anything beyond is not a form this endpoint reads.
        var maxSections = 2 * options.MaxFilesPerRequest + 1;
        var sections = 0;
        var files = 0;
        var budget = options.MaxRequestBytes;
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (++sections > maxSections) throw FileApiError.BadRequest($"a request may carry at most {maxSections} form parts");
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                switch (field)
                {
                    case "bucket-id":
                        var bucket = (await ReadSmallAsync(section.Body, "bucket-id", ct)).Trim();
                        if (bucket != "default") throw new FileApiError(400, "bucket-not-found", $"bucket '{bucket}' does not exist");
                        break;
                    case "metadata[]":
                        pending.Enqueue(ReadMetadata(await ReadSmallAsync(section.Body, "metadata[]", ct)));
                        break;
                    case "file[]":
                        if (++files > options.MaxFilesPerRequest) throw FileApiError.TooManyFiles(options.MaxFilesPerRequest);
                        var meta = pending.Count > 0 ? pending.Dequeue() : (null, null);
                        var name = meta.Name ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                        var id = meta.Id ?? Guid.NewGuid();
                        var mime = section.ContentType ?? "application/octet-stream";
                        var limit = Math.Min(options.MaxBytes, budget);
                        await records.InsertStagedAsync(id, "default", name, mime, options.MaxBytes, UploadPipeline.UserId(session), ct);
                        long size;
                        try
                        {
                            size = await storage.WriteStagedAsync(id, section.Body, mime, limit, ct);
                        }
                        catch (FileTooLargeException)
                        {
                            await records.DeleteAsync(id, ct);
                            if (limit < options.MaxBytes) throw FileApiError.RequestTooLarge(options.MaxRequestBytes);
                            throw;
                        }
                        budget -= size;
                        processed.Add(await pipeline.CompleteAsync(id, session, baseUrl, ct));
                        break;
                }
            }
        }
        catch (Exception e) when (e is FileApiError { Status: 413 } or FileTooLargeException && processed.Count > 0)
        {
            // A request refused for its size or number of files stores none of them: the client retries it whole.
            foreach (var done in processed)
                if (await records.FindAsync(done.Id, CancellationToken.None) is { } file)
                    await DeleteEndpoint.RemoveAsync(file, records, storage, CancellationToken.None);
            throw;
        }
        if (processed.Count == 0) throw FileApiError.BadRequest("no file[] part in the form");
        return TypedResults.Created((string?)null, new UploadResponse(processed));
    }

    // Form fields other than files are a few bytes: read at most 16 K characters of one, never the whole body.
    private static async Task<string> ReadSmallAsync(Stream body, string field, CancellationToken ct)
    {
        var buffer = new char[16 * 1024];
        using var reader = new StreamReader(body);
        var n = await reader.ReadBlockAsync(buffer, ct);
        if (n == buffer.Length) throw FileApiError.BadRequest($"{field} is too large");
        return new string(buffer, 0, n);
    }

    private static (Guid? Id, string? Name) ReadMetadata(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw FileApiError.BadRequest("metadata[] must be a JSON object");
            Guid? id = root.TryGetProperty("id", out var idEl) && idEl.ValueKind == JsonValueKind.String
                ? Guid.TryParse(idEl.GetString(), out var g) ? g : throw FileApiError.BadRequest("metadata[].id must be a uuid")
                : null;
            var name = root.TryGetProperty("name", out var nameEl) && nameEl.ValueKind == JsonValueKind.String ? nameEl.GetString() : null;
            return (id, name);
        }
        catch (JsonException)
        {
            throw FileApiError.BadRequest("metadata[] must be JSON");
        }
    }
}
