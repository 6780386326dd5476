using Peregrine.Domain.Model.Media;

namespace Peregrine.Graph.Media.Files;

/// <summary>A file as the files API answers it (Hasura Storage's field names, plus status and thumbnail).</summary>
public sealed record FileMetadata(
    Guid Id, string Name, long Size, string MimeType, string? Etag, string BucketId, bool IsUploaded, string Status,
    Guid? UploadedByUserId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? ThumbnailUrl)
{
    public static FileMetadata From(StoredFile f) => new(
        f.Id, f.Name, f.Size, f.MimeType, f.Etag, f.BucketId, f.IsUploaded, f.Status, f.UploadedByUserId,
        f.CreatedAt, f.UpdatedAt, f.ThumbnailUrl);
}
