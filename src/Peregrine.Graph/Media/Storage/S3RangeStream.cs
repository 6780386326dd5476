using Amazon.S3;
using Amazon.S3.Model;

namespace Peregrine.Graph.Media.Storage;

/// <summary>
/// A seekable read-only view of an S3 object: a read at a new position opens a ranged GET from there to the
/// end, so ASP.NET's Range handling (206 for video seeking) fetches only what is served. Async reads only;
/// callers that need synchronous reads (libvips) get a local copy first (<see cref="LocalCopy"/>).
/// </summary>
public sealed class S3RangeStream(IAmazonS3 client, string bucket, string key, long length) : Stream
{
    private GetObjectResponse? _response;
    private long _position;
    private long _responsePosition = -1;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => _position = value >= 0 ? value : throw new IOException("negative position"); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_position >= length || buffer.Length == 0) return 0;
        if (_response is null || _responsePosition != _position)
        {
            _response?.Dispose();
            _response = await client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket, Key = key, ByteRange = new ByteRange(_position, length - 1),
            }, ct);
            _responsePosition = _position;
        }
        var n = await _response.ResponseStream.ReadAsync(buffer, ct);
        _position += n;
        _responsePosition += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("S3 objects are read asynchronously");

    public override long Seek(long offset, SeekOrigin origin) =>
        Position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => length + offset };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _response?.Dispose();
        base.Dispose(disposing);
    }
}
