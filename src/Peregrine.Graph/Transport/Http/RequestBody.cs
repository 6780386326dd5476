using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Peregrine.Graph.Transport.Http;

internal static class RequestBody
{
    /// <summary>
    /// The whole body in a rented buffer (Dispose returns it), or null when it is larger than <paramref name="limit"/>.
    /// For /v1/graphql: a sensor batch of a thousand objects is ~140 KB, and a fresh array per request that size lands
    /// on the large-object heap, whose gen-2 collections cost more than reading the body.
    /// </summary>
    public static async Task<Sensors.Ingest.PooledBytes?> ReadPooledAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        var body = new Sensors.Ingest.PooledBytes((int)Math.Min(request.ContentLength ?? 4096, limit) + 1);
        try
        {
            while (true)
            {
                // With a Content-Length the buffer already has room for all of it (and the final empty read).
                var read = await request.Body.ReadAsync(body.FreeSpace(request.ContentLength is null ? 4096 : 1), ct);
                if (read == 0) return body;
                body.Advance(read);
                if (body.Length > limit)
                {
                    body.Dispose();
                    return null;
                }
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>The whole body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, limit) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await request.Body.ReadAsync(memory, ct);
            if (read == 0) return buffer.WrittenMemory;
            buffer.Advance(read);
            if (buffer.WrittenCount > limit) return null;
        }
    }
}
