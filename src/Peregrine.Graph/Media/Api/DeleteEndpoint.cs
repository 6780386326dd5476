using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Peregrine.Domain.Model.Media;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Media.Files;
using Peregrine.Graph.Media.Storage;
using Peregrine.Graph.Media.Thumbnails;

namespace Peregrine.Graph.Media.Api;

/// <summary><c>DELETE /v1/files/{id}</c> (uploader or admin): every object of the file, then its row; media rows keep their URL, which then answers 404.</summary>
public static class DeleteEndpoint
{
    public static async Task<NoContent> DeleteAsync(string id, HttpRequest request, SessionResolver sessions, MutationRateLimiter limiter,
        FileRecords records, IFileStorage storage, CancellationToken ct)
    {
        var fileId = FilesApi.ParseId(id);
        var session = await FileSessions.UploaderAsync(request, sessions, limiter, ct);
        var file = await records.FindAsync(fileId, ct);
        if (file is null || !UploadPipeline.MayManage(file, session)) throw FileApiError.NotFound();
        await RemoveAsync(file, records, storage, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Every object of the file, then its row.</summary>
    internal static async Task RemoveAsync(StoredFile file, FileRecords records, IFileStorage storage, CancellationToken ct)
    {
        // Row first: from this moment the file answers 404, even if removing a blob fails and the purge has to finish it.
        await records.DeleteAsync(file.Id, ct);
        await storage.DeleteStagedAsync(file.Id, ct);
        if (file.StorageKey is { } key) await storage.DeleteFinalAsync(key, ct);
        if (file.ThumbnailKey is { } thumbnail) await storage.DeleteFinalAsync(thumbnail, ct);
        await storage.DeleteFinalPrefixAsync(ImageTransforms.Prefix(file.Id), ct);
    }
}
