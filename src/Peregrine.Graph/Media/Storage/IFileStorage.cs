namespace Peregrine.Graph.Media.Storage;

/// <summary>
/// Where file bytes live: a staging area that uploads land in (purged after the staging TTL) and final
/// storage that validated files move to under a key organised by type. Streams in and out are plaintext;
/// encryption at rest is the backend's business (AES-256-GCM on local disk, SSE-S3 on S3).
/// </summary>
public interface IFileStorage
{
    /// <summary>Makes sure the backend can take uploads (S3: the buckets exist) before a URL is handed out.</summary>
    Task EnsureReadyAsync(CancellationToken ct);

    /// <summary>How the client sends the bytes of file <paramref name="id"/>; null when Peregrine receives them itself (local).</summary>
    PresignedRequest? PresignStagedUpload(Guid id, string mimeType, long size, DateTimeOffset expiresAt);

    /// <summary>Writes an upload into staging, streaming; throws <see cref="FileTooLargeException"/> past <paramref name="limit"/> (leaving nothing behind).</summary>
    Task<long> WriteStagedAsync(Guid id, Stream content, string mimeType, long limit, CancellationToken ct);

    /// <summary>The staged bytes, or null when nothing was uploaded.</summary>
    Task<StoredObject?> OpenStagedAsync(Guid id, CancellationToken ct);

    Task DeleteStagedAsync(Guid id, CancellationToken ct);

    /// <summary>Staged objects (id and when they were written), for the purge.</summary>
    IAsyncEnumerable<(Guid Id, DateTimeOffset LastModified)> ListStagedAsync(CancellationToken ct);

    /// <summary>Moves a validated staged object to final storage under <paramref name="key"/>.</summary>
    Task PromoteAsync(Guid id, string key, string mimeType, CancellationToken ct);

    Task PutFinalAsync(string key, Stream content, string mimeType, CancellationToken ct);

    /// <summary>A final object as a seekable stream (range reads fetch only what they touch), or null when absent.</summary>
    Task<StoredObject?> OpenFinalAsync(string key, CancellationToken ct);

    Task DeleteFinalAsync(string key, CancellationToken ct);

    /// <summary>Deletes every final object whose key starts with <paramref name="prefix"/> (a file's cached transforms).</summary>
    Task DeleteFinalPrefixAsync(string prefix, CancellationToken ct);

    /// <summary>A time-limited download URL straight from the backend (S3 presigned GET); null when Peregrine serves the bytes.</summary>
    string? PresignFinalDownload(string key, DateTimeOffset expiresAt);
}

/// <summary>A stored object's plaintext and when it was last written.</summary>
public sealed record StoredObject(Stream Content, long Length, DateTimeOffset LastModified) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>The request a client makes to upload or download straight to/from storage.</summary>
public sealed record PresignedRequest(string Url, string Method, IReadOnlyDictionary<string, string> Headers);
