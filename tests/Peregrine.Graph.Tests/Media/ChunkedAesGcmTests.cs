using System.Security.Cryptography;
using Peregrine.Graph.Media;
using Peregrine.Graph.Media.Encryption;

namespace Peregrine.Graph.Tests.Media;

/// <summary>
/// Encryption at rest: what goes in comes out, whole or by any byte range, for lengths around the chunk edges;
/// a flipped, dropped or reordered byte on disk is an authentication failure, never other plaintext; the
/// stream stops at its limit.
/// </summary>
public sealed class ChunkedAesGcmTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private const int Chunk = ChunkedAesGcm.ChunkSize;

    private static async Task<byte[]> EncryptAsync(byte[] plain)
    {
        using var output = new MemoryStream();
        Assert.Equal(plain.Length, await ChunkedAesGcm.EncryptAsync(Key, new MemoryStream(plain), output, long.MaxValue, default));
        return output.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    [InlineData(3 * Chunk + 12345)]
    public async Task Round_trips_whole_and_by_range(int length)
    {
        var plain = RandomNumberGenerator.GetBytes(length);
        var stored = await EncryptAsync(plain);
        Assert.Equal(length, ChunkedAesGcm.PlainLength(stored.Length));
        using var whole = new DecryptingStream(new MemoryStream(stored), Key);
        Assert.Equal(length, whole.Length);
        var back = new MemoryStream();
        await whole.CopyToAsync(back);
        Assert.Equal(plain, back.ToArray());

        var random = new Random(length);
        for (var i = 0; i < 20 && length > 0; i++)
        {
            var from = random.Next(length);
            var count = Math.Min(length - from, random.Next(1, 3 * Chunk));
            using var ranged = new DecryptingStream(new MemoryStream(stored), Key) { Position = from };
            var slice = new byte[count];
            ranged.ReadExactly(slice);
            Assert.Equal(plain.AsSpan(from, count).ToArray(), slice);
        }
    }

    [Fact]
    public async Task Tampering_is_detected()
    {
        var plain = RandomNumberGenerator.GetBytes(2 * Chunk + 100);
        var stored = await EncryptAsync(plain);

        var flipped = (byte[])stored.Clone();
        flipped[ChunkedAesGcm.HeaderSize + Chunk + 5] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => ReadAll(flipped));

        // Dropping the last chunk leaves a well-formed prefix whose final chunk was not sealed as the last one.
        var truncated = stored[..(ChunkedAesGcm.HeaderSize + 2 * ChunkedAesGcm.StoredChunkSize)];
        Assert.ThrowsAny<CryptographicException>(() => ReadAll(truncated));

        // Swapping two whole chunks: each chunk's nonce and associated data carry its index.
        var swapped = (byte[])stored.Clone();
        stored.AsSpan(ChunkedAesGcm.HeaderSize, ChunkedAesGcm.StoredChunkSize).CopyTo(swapped.AsSpan(ChunkedAesGcm.HeaderSize + ChunkedAesGcm.StoredChunkSize));
        stored.AsSpan(ChunkedAesGcm.HeaderSize + ChunkedAesGcm.StoredChunkSize, ChunkedAesGcm.StoredChunkSize).CopyTo(swapped.AsSpan(ChunkedAesGcm.HeaderSize));
        Assert.ThrowsAny<CryptographicException>(() => ReadAll(swapped));

        var otherKey = RandomNumberGenerator.GetBytes(32);
        Assert.ThrowsAny<CryptographicException>(() => new DecryptingStream(new MemoryStream(stored), otherKey).ReadByte());
    }

    [Fact]
    public async Task Same_plaintext_encrypts_differently_and_the_limit_stops_the_stream()
    {
        var plain = RandomNumberGenerator.GetBytes(1000);
        Assert.NotEqual(await EncryptAsync(plain), await EncryptAsync(plain));
        await Assert.ThrowsAsync<FileTooLargeException>(() =>
            ChunkedAesGcm.EncryptAsync(Key, new MemoryStream(new byte[3 * Chunk]), Stream.Null, 2 * Chunk + 1, default));
    }

    private static void ReadAll(byte[] stored)
    {
        using var s = new DecryptingStream(new MemoryStream(stored), Key);
        s.CopyTo(Stream.Null);
    }
}
