using Microsoft.Extensions.Logging;
using Peregrine.Domain.Model.Media;
using Peregrine.Graph.Media.Api;
using Peregrine.Graph.Media.Storage;
using Peregrine.Graph.Media.Thumbnails;
using Peregrine.Graph.Media.Validation;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Media.Files;

/// <summary>
/// The upload path: presign (a staged row and a time-limited URL), receive bytes into staging, and
/// complete: validate, then move to final storage with a thumbnail (valid) or delete and keep the reason
/// (rejected). Completion holds the row lock, so it is idempotent and concurrent calls see one outcome.
/// </summary>
public sealed class UploadPipeline(
    MediaOptions options, IFileStorage storage, FileRecords records, FileValidator validator, UrlSigner signer,
    ImageThumbnailer images, VideoFrameExtractor videos, ILogger<UploadPipeline> logger)
{
    public sealed record Presigned(Guid Id, string UploadUrl, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);

    public async Task<Presigned> PresignAsync(string name, string mimeType, long size, Guid? userId, string baseUrl, CancellationToken ct)
    {
        if (size > options.MaxBytes) throw FileApiError.TooLarge(options.MaxBytes);
        if (MediaType.FromDeclared(mimeType) is null)
            throw FileApiError.Invalid($"declared {mimeType}, which is not a supported image or video type");
        var id = Guid.NewGuid();
        var expires = DateTimeOffset.UtcNow.Add(options.UploadUrlTtl);
        // Whole seconds: the expiry is signed as unix seconds and must read back equal to what the client was told.
        expires = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds());
        await storage.EnsureReadyAsync(ct);
        await records.InsertStagedAsync(id, "default", name, mimeType, size, userId, ct);
        if (storage.PresignStagedUpload(id, mimeType, size, expires) is { } direct)
            return new Presigned(id, direct.Url, direct.Method, direct.Headers, expires);
        var url = $"{baseUrl}/v1/files/{id}/upload?{signer.Query(UrlSigner.Upload, id, expires)}";
        return new Presigned(id, url, "PUT", new Dictionary<string, string> { ["Content-Type"] = mimeType }, expires);
    }

    /// <summary>The local backend's signed PUT: the body streams into staging, counted against the declared size and the maximum.</summary>
    public async Task<long> ReceiveAsync(Guid id, string? expires, string? signature, Stream body, long? contentLength, CancellationToken ct)
    {
        if (!signer.Verify(UrlSigner.Upload, id, expires, signature, DateTimeOffset.UtcNow))
            throw FileApiError.Forbidden("the upload URL is invalid or has expired");
        var file = await records.FindAsync(id, ct) ?? throw FileApiError.NotFound();
        if (file.Status != FileStatus.Staged) throw new FileApiError(409, "already-completed", "this upload was already completed");
        var limit = Math.Min(file.Size, options.MaxBytes);
        if (contentLength > limit) throw FileApiError.TooLarge(limit);
        return await storage.WriteStagedAsync(id, body, file.MimeType, limit, ct);
    }

    public async Task<FileMetadata> CompleteAsync(Guid id, Session session, string baseUrl, CancellationToken ct)
    {
        await using var conn = await records.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var file = await FileRecords.LockAsync(conn, tx, id, ct);
        if (file is null || !MayManage(file, session)) throw FileApiError.NotFound();
        if (file.Status == FileStatus.Valid) return FileMetadata.From(file);
        if (file.Status == FileStatus.Rejected) throw Rejection(file);

        await using (var staged = await storage.OpenStagedAsync(id, ct))
            if (staged is null) throw FileApiError.NotUploaded();

        var result = await validator.ValidateAsync(
            async () => (await storage.OpenStagedAsync(id, ct))?.Content ?? throw FileApiError.NotUploaded(),
            file.MimeType, file.Size, ct);
        if (!result.IsValid)
        {
            await storage.DeleteStagedAsync(id, ct);
            var rejected = await FileRecords.MarkRejectedAsync(conn, tx, id, result.Reason!, ct);
            await tx.CommitAsync(ct);
            logger.LogWarning("file {FileId} of user {UserId} rejected: {Reason}", id, file.UploadedByUserId?.ToString() ?? "admin", result.Reason);
            throw result.IsTooLarge ? FileApiError.TooLarge(Math.Min(file.Size, options.MaxBytes)) : Rejection(rejected);
        }

        var now = DateTimeOffset.UtcNow;
        var key = StorageKeys.Final(id, result.Type!, now);
        await storage.PromoteAsync(id, key, result.Type!.Mime, ct);
        var thumbnailKey = await ThumbnailAsync(id, key, result.Type, now, ct);
        var url = options.PublicUrl is { } cdn ? $"{cdn}/{key}" : $"{baseUrl}/v1/files/{id}";
        var thumbnailUrl = thumbnailKey is null ? null
            : options.PublicUrl is { } cdnThumb ? $"{cdnThumb}/{thumbnailKey}" : $"{baseUrl}/v1/files/{id}/thumbnail";
        var valid = await FileRecords.MarkValidAsync(conn, tx, id, result.Type.Mime, result.Size, result.Etag!, key, thumbnailKey,
            url, thumbnailUrl, ct);
        await tx.CommitAsync(ct);
        return FileMetadata.From(valid);
    }

    /// <summary>The uploader and admins may complete and delete a file.</summary>
    public static bool MayManage(StoredFile file, Session session) =>
        session.IsAdmin || (UserId(session) is { } user && file.UploadedByUserId == user);

    public static Guid? UserId(Session session) =>
        session.Variables.TryGetValue("x-hasura-user-id", out var v) && Guid.TryParse(v, out var id) ? id : null;

    private static FileApiError Rejection(StoredFile file) =>
        file.RejectionReason?.StartsWith("file is larger than", StringComparison.Ordinal) == true
            ? new FileApiError(413, "file-too-large", file.RejectionReason)
            : FileApiError.Invalid(file.RejectionReason ?? "file was rejected");

    // A thumbnail is a convenience: failing to make one never fails the upload.
    private async Task<string?> ThumbnailAsync(Guid id, string key, MediaType type, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await using var source = await storage.OpenFinalAsync(key, ct);
            if (source is null) return null;
            // Videos: ffmpeg needs a file it can seek (MP4 indexes often sit at the end); images: libvips reads synchronously.
            await using var local = await LocalCopy.OfAsync(source, type.Extension, forceFile: type.IsVideo, ct);
            var bytes = type.IsImage ? images.Thumbnail(local.Stream) : await videos.FrameAsync(local.Path!, ct);
            var extension = type.IsImage ? "webp" : "jpg";
            if (bytes is null) return null;
            var thumbnailKey = StorageKeys.Thumbnail(id, now, extension);
            await storage.PutFinalAsync(thumbnailKey, new MemoryStream(bytes, writable: false), extension == "webp" ? "image/webp" : "image/jpeg", ct);
            return thumbnailKey;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("no thumbnail for file {FileId}: {Type}: {Message}", id, e.GetType().Name, e.Message);
            return null;
        }
    }
}
