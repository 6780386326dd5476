namespace Peregrine.Graph.Media.Storage;

/// <summary>
/// A stored object as a local, synchronously readable file when its stream is not one (S3), for libvips and
/// ffmpeg. The temporary file is deleted on dispose.
/// </summary>
public sealed class LocalCopy : IAsyncDisposable
{
    private readonly string? _temp;

    private LocalCopy(Stream stream, string? temp)
    {
        Stream = stream;
        _temp = temp;
    }

    public Stream Stream { get; }
    /// <summary>A path ffmpeg can open, when the copy is a file.</summary>
    public string? Path => _temp;

    /// <summary><paramref name="forceFile"/>: always a file (ffmpeg needs a path).</summary>
    public static async Task<LocalCopy> OfAsync(StoredObject stored, string extension, bool forceFile, CancellationToken ct)
    {
        if (!forceFile && stored.Content is not S3RangeStream) return new LocalCopy(stored.Content, null);
        var temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"peregrine-media-{Guid.NewGuid():N}.{extension}");
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await stored.Content.CopyToAsync(file, 1 << 16, ct);
        return new LocalCopy(new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), temp);
    }

    public async ValueTask DisposeAsync()
    {
        if (_temp is null) return;
        await Stream.DisposeAsync();
        File.Delete(_temp);
    }
}
