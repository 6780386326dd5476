using System.Runtime.CompilerServices;
using Peregrine.Graph.Media.Encryption;

namespace Peregrine.Graph.Media.Storage;

/// <summary>
/// Files on local disk under <see cref="MediaOptions.LocalPath"/>: <c>staging/&lt;id&gt;</c> and
/// <c>final/&lt;key&gt;</c>, each encrypted with <see cref="ChunkedAesGcm"/> when PEREGRINE_ENCRYPTION_KEY is set.
/// Writes go to a temporary file, made durable (<see cref="WriteBehindFileStream"/>) and then renamed into
/// place, so a reader never sees half an object, an aborted upload leaves nothing, and an acknowledged one
/// survives a crash.
/// </summary>
public sealed class LocalFileStorage : IFileStorage
{
    private readonly string _staging;
    private readonly string _final;
    private readonly string _temp;
    private readonly byte[]? _key;

    public LocalFileStorage(MediaOptions options)
    {
        var root = Path.GetFullPath(options.LocalPath);
        _staging = Path.Combine(root, "staging");
        _final = Path.Combine(root, "final");
        _temp = Path.Combine(root, "tmp");
        Directory.CreateDirectory(_staging);
        Directory.CreateDirectory(_final);
        Directory.CreateDirectory(_temp);
        _key = options.EncryptionKey;
    }

    public string Root => Path.GetDirectoryName(_staging)!;
    public bool Encrypted => _key is not null;

    public Task EnsureReadyAsync(CancellationToken ct) => Task.CompletedTask;

    public PresignedRequest? PresignStagedUpload(Guid id, string mimeType, long size, DateTimeOffset expiresAt) => null;

    public Task<long> WriteStagedAsync(Guid id, Stream content, string mimeType, long limit, CancellationToken ct) =>
        WriteAsync(StagedPath(id), content, limit, ct);

    public Task<StoredObject?> OpenStagedAsync(Guid id, CancellationToken ct) => Task.FromResult(Open(StagedPath(id)));

    public Task DeleteStagedAsync(Guid id, CancellationToken ct)
    {
        File.Delete(StagedPath(id));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<(Guid Id, DateTimeOffset LastModified)> ListStagedAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        foreach (var path in Directory.EnumerateFiles(_staging))
        {
            ct.ThrowIfCancellationRequested();
            if (Guid.TryParseExact(Path.GetFileName(path), "N", out var id))
                yield return (id, File.GetLastWriteTimeUtc(path));
        }
    }

    public Task PromoteAsync(Guid id, string key, string mimeType, CancellationToken ct)
    {
        // The same key encrypts both areas and the chunk nonces do not depend on the path, so a rename is the move.
        var target = FinalPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(StagedPath(id), target, overwrite: true);
        return Task.CompletedTask;
    }

    public async Task PutFinalAsync(string key, Stream content, string mimeType, CancellationToken ct)
    {
        var target = FinalPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await WriteAsync(target, content, long.MaxValue, ct);
    }

    public Task<StoredObject?> OpenFinalAsync(string key, CancellationToken ct) => Task.FromResult(Open(FinalPath(key)));

    public Task DeleteFinalAsync(string key, CancellationToken ct)
    {
        File.Delete(FinalPath(key));
        return Task.CompletedTask;
    }

    public Task DeleteFinalPrefixAsync(string prefix, CancellationToken ct)
    {
        // Prefixes name a folder (transforms/<id>/).
        var folder = FinalPath(prefix.TrimEnd('/'));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }

    public string? PresignFinalDownload(string key, DateTimeOffset expiresAt) => null;

    /// <summary>Where an object lives on disk (tests look there to prove nothing was left behind).</summary>
    public string StagedPath(Guid id) => Path.Combine(_staging, id.ToString("N"));

    public string FinalPath(string key)
    {
        // Keys are built by StorageKeys from a uuid and a known extension; refuse anything that could leave the folder.
        if (key.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(key)) throw new ArgumentException("bad storage key", nameof(key));
        return Path.Combine(_final, key);
    }

    private async Task<long> WriteAsync(string path, Stream content, long limit, CancellationToken ct)
    {
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        try
        {
            long written;
            await using (var file = new WriteBehindFileStream(temp))
            {
                if (_key is not null) written = await ChunkedAesGcm.EncryptAsync(_key, content, file, limit, ct);
                else written = await CopyLimitedAsync(content, file, limit, ct);
                await file.CommitAsync(ct);
            }
            File.Move(temp, path, overwrite: true);
            return written;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static async Task<long> CopyLimitedAsync(Stream source, Stream destination, long limit, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            long total = 0;
            int n;
            while ((n = await source.ReadAsync(buffer, ct)) > 0)
            {
                total += n;
                if (total > limit) throw new FileTooLargeException(limit);
                await destination.WriteAsync(buffer.AsMemory(0, n), ct);
            }
            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private StoredObject? Open(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        if (_key is null) return new StoredObject(file, file.Length, modified);
        var plain = new DecryptingStream(file, _key);
        return new StoredObject(plain, plain.Length, modified);
    }
}
