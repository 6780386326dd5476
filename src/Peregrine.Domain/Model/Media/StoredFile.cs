namespace Peregrine.Domain.Model.Media;

/// <summary>
/// One uploaded file (Hasura Storage's <c>files</c> row). It is born <see cref="FileStatus.Staged"/> at
/// presign (or direct upload), and <c>complete</c> moves it to <see cref="FileStatus.Valid"/> (bytes in final
/// storage under <see cref="StorageKey"/>) or <see cref="FileStatus.Rejected"/> (bytes deleted, reason kept).
/// </summary>
public sealed class StoredFile
{
    public Guid Id { get; set; }
    public string BucketId { get; set; } = "default";
    public string Name { get; set; } = "";
    /// <summary>Bytes stored; the declared size until the upload is validated.</summary>
    public long Size { get; set; }
    public string MimeType { get; set; } = "";
    public string? Etag { get; set; }
    public bool IsUploaded { get; set; }
    public string Status { get; set; } = FileStatus.Staged;
    public string? RejectionReason { get; set; }
    public Guid? UploadedByUserId { get; set; }
    /// <summary>Key of the validated bytes in final storage (<c>images/2026/12/&lt;id&gt;.jpg</c>).</summary>
    public string? StorageKey { get; set; }
    public string? ThumbnailKey { get; set; }
    /// <summary>Where clients fetch the file and its thumbnail (copied into <c>phenom_media</c> rows that name the file).</summary>
    public string? Url { get; set; }
    public string? ThumbnailUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The values of <c>files.status</c>.</summary>
public static class FileStatus
{
    public const string Staged = "staged";
    public const string Valid = "valid";
    public const string Rejected = "rejected";
}
