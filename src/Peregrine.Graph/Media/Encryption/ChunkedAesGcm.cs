using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Peregrine.Graph.Media.Encryption;

/// <summary>
/// AES-256-GCM over fixed-size chunks, so a file is encrypted while it streams in and any byte range can be
/// read back by decrypting only the chunks it touches (video seeking). Layout:
/// <c>header = magic "PGE1" | 8-byte random file nonce</c>, then per chunk <c>ciphertext | 16-byte tag</c>,
/// every chunk holding <see cref="ChunkSize"/> plaintext bytes except the last (which may be empty).
/// Chunk i's nonce is <c>file nonce | i (big-endian uint32)</c>, so nonces never repeat under one key (a
/// fresh random file nonce per object), and its associated data is <c>i | last-flag</c>: a reordered,
/// dropped or truncated chunk fails authentication instead of decrypting to other bytes.
/// </summary>
public static class ChunkedAesGcm
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public const int HeaderSize = 12;
    public const int StoredChunkSize = ChunkSize + TagSize;
    private static ReadOnlySpan<byte> Magic => "PGE1"u8;

    public static byte[] NewHeader()
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        RandomNumberGenerator.Fill(header.AsSpan(4, 8));
        return header;
    }

    public static void CheckHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderSize || !header[..4].SequenceEqual(Magic))
            throw new CryptographicException("not an encrypted Peregrine object");
    }

    /// <summary>Plaintext length of an encrypted object of <paramref name="storedLength"/> bytes.</summary>
    public static long PlainLength(long storedLength)
    {
        var body = storedLength - HeaderSize;
        if (body < TagSize) throw new CryptographicException("encrypted object is truncated");
        var chunks = (body + StoredChunkSize - 1) / StoredChunkSize;
        return body - chunks * TagSize;
    }

    internal static void Nonce(ReadOnlySpan<byte> header, long chunk, Span<byte> nonce)
    {
        header.Slice(4, 8).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], checked((uint)chunk));
    }

    internal static void AssociatedData(long chunk, bool last, Span<byte> ad)
    {
        BinaryPrimitives.WriteUInt32BigEndian(ad, checked((uint)chunk));
        ad[4] = last ? (byte)1 : (byte)0;
    }

    /// <summary>Chunks sealed into one batch before it is written: one write call per ~1 MB instead of per 64 KB.</summary>
    public const int BatchChunks = 16;

    /// <summary>
    /// Encrypts <paramref name="source"/> into <paramref name="destination"/> chunk by chunk; stops with
    /// <see cref="FileTooLargeException"/> past <paramref name="limit"/> bytes. Sealed chunks collect in a batch;
    /// while one batch is being written the next is read and sealed, so the source, the cipher and the disk work
    /// at the same time. Memory: two chunks of plaintext and two batches, pooled. Returns the plaintext length.
    /// </summary>
    public static async Task<long> EncryptAsync(byte[] key, Stream source, Stream destination, long limit, CancellationToken ct)
    {
        var header = NewHeader();
        await destination.WriteAsync(header, ct);
        using var aes = new AesGcm(key, TagSize);
        var current = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var next = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var batch = ArrayPool<byte>.Shared.Rent(BatchChunks * StoredChunkSize);
        var spare = ArrayPool<byte>.Shared.Rent(BatchChunks * StoredChunkSize);
        Task writing = Task.CompletedTask;
        try
        {
            // Reading one chunk ahead tells whether the current one is the last, which its associated data records.
            var currentLength = await FillAsync(source, current, ct);
            long total = currentLength, index = 0;
            var batchLength = 0;
            while (true)
            {
                if (total > limit) throw new FileTooLargeException(limit);
                var nextLength = currentLength == ChunkSize ? await FillAsync(source, next, ct) : 0;
                var last = nextLength == 0;
                Seal(aes, header, index, last, current.AsSpan(0, currentLength), batch.AsSpan(batchLength, currentLength + TagSize));
                batchLength += currentLength + TagSize;
                if (last || batchLength + StoredChunkSize > batch.Length)
                {
                    await writing;
                    writing = destination.WriteAsync(batch.AsMemory(0, batchLength), ct).AsTask();
                    (batch, spare) = (spare, batch);
                    batchLength = 0;
                }
                if (last)
                {
                    await writing;
                    return total;
                }
                (current, next) = (next, current);
                currentLength = nextLength;
                total += nextLength;
                index++;
            }
        }
        finally
        {
            // The batch being written must not go back to the pool while the write still reads it.
            try { await writing; } catch { /* the exception that matters is already propagating */ }
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
            ArrayPool<byte>.Shared.Return(batch);
            ArrayPool<byte>.Shared.Return(spare);
        }
    }

    private static void Seal(AesGcm aes, byte[] header, long index, bool last, ReadOnlySpan<byte> plain, Span<byte> output)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> ad = stackalloc byte[5];
        Nonce(header, index, nonce);
        AssociatedData(index, last, ad);
        aes.Encrypt(nonce, plain, output[..plain.Length], output.Slice(plain.Length, TagSize), ad);
    }

    internal static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < ChunkSize)
        {
            var n = await source.ReadAsync(buffer.AsMemory(filled, ChunkSize - filled), ct);
            if (n == 0) break;
            filled += n;
        }
        return filled;
    }
}
