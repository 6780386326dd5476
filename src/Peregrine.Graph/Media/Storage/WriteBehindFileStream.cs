using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Peregrine.Graph.Media.Storage;

/// <summary>
/// A write-only file stream for large uploads that keeps the disk busy while the upload streams in, then makes
/// the object durable before it is acknowledged. Without it the kernel keeps the whole upload dirty in the page
/// cache (up to dirty_background_ratio of RAM) and writes it only at the final fsync, so the disk idles during the
/// network/encryption work and then the client waits for all of it. Every <see cref="WriteBehindBytes"/> the
/// stream asks Linux to start writing back what is dirty (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>, which
/// does not wait), and waits for the window before that one, which bounds how much of one upload is dirty at a
/// time. <see cref="CommitAsync"/> ends with fsync. Elsewhere the hints are skipped and only the final flush runs.
/// </summary>
public sealed class WriteBehindFileStream : Stream
{
    public const int WriteBehindBytes = 8 * 1024 * 1024;
    private const uint SyncFileRangeWaitBefore = 1, SyncFileRangeWrite = 2, SyncFileRangeWaitAfter = 4;

    private readonly FileStream _file;
    private long _position;
    private long _hinted;      // writeback was started for [0, _hinted)
    private long _windowStart; // the last window started: [_windowStart, _hinted)
    private static bool _hintsWork = OperatingSystem.IsLinux();

    public WriteBehindFileStream(string path)
    {
        // Writes arrive in large blocks already (whole encrypted batches); FileStream's own buffer would only add a copy.
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        });
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _position;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        RandomAccess.Write(_file.SafeFileHandle, buffer, _position);
        _position += buffer.Length;
        HintWriteBehind();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        await RandomAccess.WriteAsync(_file.SafeFileHandle, buffer, _position, ct);
        _position += buffer.Length;
        HintWriteBehind();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    /// <summary>Waits until everything written is on disk: an acknowledged upload survives a crash.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        // fsync blocks its thread; the thread pool's thread, not the caller's.
        await Task.Run(() => _file.Flush(flushToDisk: true), ct);
    }

    private void HintWriteBehind()
    {
        if (!_hintsWork || _position - _hinted < WriteBehindBytes) return;
        var handle = _file.SafeFileHandle;
        // Wait for the previous window (its writeback started one window ago, so this rarely blocks), then start this one.
        if (_hinted > _windowStart &&
            SyncFileRange(handle, _windowStart, _hinted - _windowStart, SyncFileRangeWaitBefore | SyncFileRangeWrite | SyncFileRangeWaitAfter) != 0)
        {
            _hintsWork = false; // not supported here (some filesystems, sandboxes): the final fsync still runs
            return;
        }
        SyncFileRange(handle, _hinted, _position - _hinted, SyncFileRangeWrite);
        (_windowStart, _hinted) = (_hinted, _position);
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the project; one plain call does not
    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
#pragma warning restore SYSLIB1054

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _file.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        _file.Dispose();
        return base.DisposeAsync();
    }
}
