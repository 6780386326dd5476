using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Peregrine.Domain.Model.Media;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Media.Files;
using Peregrine.Graph.Media.Storage;
using Peregrine.Graph.Media.Thumbnails;

namespace Peregrine.Graph.Media.Api;

/// <summary>
/// Downloads: the file (Range, conditional requests, HEAD and Hasura Storage's image transforms), its
/// thumbnail, and a time-limited download URL. Only validated files exist here: staged, rejected or
/// deleted ones answer 404. Access is <see cref="DownloadAccess"/>'s, or a valid signed URL.
/// </summary>
public static class DownloadEndpoints
{
    public sealed record PresignedUrlResponse(string Url, int Expiration);

    public static async Task<IResult> GetAsync(string id, HttpContext http, SessionResolver sessions, FileRecords records,
        DownloadAccess access, UrlSigner signer, IFileStorage storage, ImageTransforms transforms, CancellationToken ct)
    {
        var file = await AuthorizedAsync(id, http.Request, sessions, records, access, signer, ct);
        if (ImageTransforms.Requested(http.Request.Query) is { } transform)
        {
            var (bytes, mime) = await transforms.GetAsync(file, transform, ct);
            SetCaching(http.Response);
            var etag = new EntityTagHeaderValue($"\"{file.Etag!.Trim('"')}-{transform.CacheName}\"");
            return TypedResults.Bytes(bytes, mime, lastModified: file.UpdatedAt, entityTag: etag, enableRangeProcessing: true);
        }
        return await StreamAsync(http.Response, storage, file.StorageKey!, file.MimeType, file.UpdatedAt,
            new EntityTagHeaderValue(file.Etag!), ct);
    }

    public static async Task<IResult> ThumbnailAsync(string id, HttpContext http, SessionResolver sessions, FileRecords records,
        DownloadAccess access, UrlSigner signer, IFileStorage storage, CancellationToken ct)
    {
        var file = await AuthorizedAsync(id, http.Request, sessions, records, access, signer, ct);
        if (file.ThumbnailKey is not { } key) throw FileApiError.NotFound();
        var mime = key.EndsWith(".webp", StringComparison.Ordinal) ? "image/webp" : "image/jpeg";
        return await StreamAsync(http.Response, storage, key, mime, file.UpdatedAt,
            new EntityTagHeaderValue($"\"{file.Etag!.Trim('"')}-thumbnail\""), ct);
    }

    /// <summary><c>GET /v1/files/{id}/presignedurl</c> → <c>{ url, expiration }</c> (seconds).</summary>
    public static async Task<IResult> PresignedUrlAsync(string id, HttpContext http, SessionResolver sessions, FileRecords records,
        DownloadAccess access, UrlSigner signer, IFileStorage storage, MediaOptions options, CancellationToken ct)
    {
        var file = await AuthorizedAsync(id, http.Request, sessions, records, access, signer, ct);
        var expires = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.Add(options.DownloadUrlTtl).ToUnixTimeSeconds());
        var url = storage.PresignFinalDownload(file.StorageKey!, expires)
            ?? $"{FileSessions.BaseUrl(http.Request)}/v1/files/{file.Id}?{signer.Query(UrlSigner.Download, file.Id, expires)}";
        return TypedResults.Ok(new PresignedUrlResponse(url, (int)options.DownloadUrlTtl.TotalSeconds));
    }

    private static async Task<StoredFile> AuthorizedAsync(string id, HttpRequest request, SessionResolver sessions, FileRecords records,
        DownloadAccess access, UrlSigner signer, CancellationToken ct)
    {
        var fileId = FilesApi.ParseId(id);
        var file = await records.FindAsync(fileId, ct);
        if (request.Query.ContainsKey("signature"))
        {
            // A presigned download URL is the credential; it names this file and is checked before the row is shown to exist.
            if (!signer.Verify(UrlSigner.Download, fileId, request.Query["expires"], request.Query["signature"], DateTimeOffset.UtcNow))
                throw FileApiError.Forbidden("the download URL is invalid or has expired");
            return file is { Status: FileStatus.Valid } ? file : throw FileApiError.NotFound();
        }
        var session = await sessions.ResolveAsync(request.Headers, ct);
        if (file is not { Status: FileStatus.Valid, StorageKey: not null }) throw FileApiError.NotFound();
        if (!await access.MayDownloadAsync(file, session, ct)) throw FileApiError.Forbidden("you may not download this file");
        return file;
    }

    private static async Task<IResult> StreamAsync(HttpResponse response, IFileStorage storage, string key, string mime,
        DateTimeOffset lastModified, EntityTagHeaderValue etag, CancellationToken ct)
    {
        var stored = await storage.OpenFinalAsync(key, ct) ?? throw FileApiError.NotFound();
        SetCaching(response);
        // The result disposes the stream once the response is written; Range and If-None-Match are handled there.
        return TypedResults.Stream(stored.Content, mime, lastModified: lastModified, entityTag: etag, enableRangeProcessing: true);
    }

    // Private: the bytes are per-user; a shared cache must not hand them to someone else.
    private static void SetCaching(HttpResponse response) => response.Headers.CacheControl = "private, max-age=3600";
}
