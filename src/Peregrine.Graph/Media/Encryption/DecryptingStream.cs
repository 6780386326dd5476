using System.Buffers;
using System.Security.Cryptography;

namespace Peregrine.Graph.Media.Encryption;

/// <summary>
/// A read-only, seekable view of the plaintext of a <see cref="ChunkedAesGcm"/> object: a read decrypts the chunk
/// under the position (one chunk in memory), so a Range request from the middle of a 500 MB video decrypts a
/// few chunks, not the file.
/// </summary>
public sealed class DecryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly AesGcm _aes;
    private readonly byte[] _header = new byte[ChunkedAesGcm.HeaderSize];
    private readonly byte[] _stored = ArrayPool<byte>.Shared.Rent(ChunkedAesGcm.StoredChunkSize);
    private readonly byte[] _plain = ArrayPool<byte>.Shared.Rent(ChunkedAesGcm.ChunkSize);
    private readonly long _length;
    private readonly long _chunks;
    private long _position;
    private long _loadedChunk = -1;
    private int _loadedLength;
    private bool _disposed;

    public DecryptingStream(Stream inner, byte[] key)
    {
        _inner = inner;
        _aes = new AesGcm(key, ChunkedAesGcm.TagSize);
        _inner.ReadExactly(_header);
        ChunkedAesGcm.CheckHeader(_header);
        _length = ChunkedAesGcm.PlainLength(inner.Length);
        _chunks = Math.Max(1, (_length + ChunkedAesGcm.ChunkSize - 1) / ChunkedAesGcm.ChunkSize);
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _position; set => Seek(value, SeekOrigin.Begin); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= _length || buffer.Length == 0) return 0;
        var chunk = _position / ChunkedAesGcm.ChunkSize;
        if (chunk != _loadedChunk) Load(chunk);
        var within = (int)(_position - chunk * ChunkedAesGcm.ChunkSize);
        var n = Math.Min(buffer.Length, _loadedLength - within);
        _plain.AsSpan(within, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    private void Load(long chunk)
    {
        var last = chunk == _chunks - 1;
        var plainLength = (int)Math.Min(ChunkedAesGcm.ChunkSize, _length - chunk * ChunkedAesGcm.ChunkSize);
        _inner.Position = ChunkedAesGcm.HeaderSize + chunk * ChunkedAesGcm.StoredChunkSize;
        _inner.ReadExactly(_stored, 0, plainLength + ChunkedAesGcm.TagSize);
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> ad = stackalloc byte[5];
        ChunkedAesGcm.Nonce(_header, chunk, nonce);
        ChunkedAesGcm.AssociatedData(chunk, last, ad);
        _aes.Decrypt(nonce, _stored.AsSpan(0, plainLength), _stored.AsSpan(plainLength, ChunkedAesGcm.TagSize),
            _plain.AsSpan(0, plainLength), ad);
        _loadedChunk = chunk;
        _loadedLength = plainLength;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        if (target < 0) throw new IOException("seek before the start of the stream");
        _position = target;
        return target;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // Disposing twice must not hand the pooled buffers back twice (two later renters would share them).
        if (disposing && !_disposed)
        {
            _disposed = true;
            _inner.Dispose();
            _aes.Dispose();
            ArrayPool<byte>.Shared.Return(_stored);
            ArrayPool<byte>.Shared.Return(_plain);
        }
        base.Dispose(disposing);
    }
}
