using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Peregrine.Graph.Media.Api;

/// <summary>
/// The files API under <c>/v1/files</c>: the seed's presigned upload flow (presign → PUT → complete) and
/// Hasura Storage's routes (direct multipart upload, download with Range and transforms, presigned
/// download URL, delete).
/// </summary>
public static class FilesApi
{
    public static IEndpointRouteBuilder MapFilesApi(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/v1/files").AddEndpointFilter<FileErrorFilter>().WithTags("Files");
        files.MapPost("/presigned-upload", UploadEndpoints.PresignAsync);
        files.MapPut("/{id}/upload", UploadEndpoints.PutAsync);
        files.MapPost("/{id}/complete", UploadEndpoints.CompleteAsync);
        files.MapPost("", MultipartUploadEndpoint.PostAsync);
        files.MapMethods("/{id}", ["GET", "HEAD"], DownloadEndpoints.GetAsync);
        files.MapMethods("/{id}/thumbnail", ["GET", "HEAD"], DownloadEndpoints.ThumbnailAsync);
        files.MapGet("/{id}/presignedurl", DownloadEndpoints.PresignedUrlAsync);
        files.MapDelete("/{id}", DeleteEndpoint.DeleteAsync);
        return app;
    }

    internal static Guid ParseId(string id) =>
        Guid.TryParse(id, out var guid) ? guid : throw FileApiError.NotFound();
}
