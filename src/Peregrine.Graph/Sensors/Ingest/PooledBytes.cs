using System.Buffers;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>: request bodies and encoded batches of
/// sensor readings are ~100 KB each, past the large-object threshold, so allocating them per request filled the
/// large-object heap and made gen-2 collections the ingest path's main cost. Dispose returns the array.
/// </summary>
public sealed class PooledBytes : IDisposable
{
    private byte[] _buffer;

    public PooledBytes(int capacity) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>At least one free byte after <see cref="Length"/>, growing the buffer when it is full.</summary>
    public Memory<byte> FreeSpace(int atLeast = 1)
    {
        if (_buffer.Length - Length < atLeast)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + atLeast));
            _buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        return _buffer.AsMemory(Length);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Drops what was written after <paramref name="length"/> (a line given up half way).</summary>
    public void Truncate(int length) => Length = Math.Min(Length, length);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        Length = 0;
    }
}
