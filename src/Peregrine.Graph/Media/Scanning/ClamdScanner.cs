using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Peregrine.Graph.Media.Scanning;

/// <summary>
/// One clamd INSTREAM session (clamd(8): <c>zINSTREAM\0</c>, then chunks each prefixed by its length as a
/// big-endian uint32, a zero length to end, and one reply <c>stream: OK</c> or <c>stream: &lt;name&gt; FOUND</c>).
/// The validator feeds it the chunks it already reads, so a file is scanned in the same pass that counts and
/// sniffs it. Any connection or protocol failure is <see cref="ScannerUnavailableException"/>: an unscanned
/// file is never called clean.
/// </summary>
public sealed class ClamdScanner : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _length = new byte[4];

    private ClamdScanner(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<ClamdScanner> StartAsync(Uri url, CancellationToken ct)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await client.ConnectAsync(url.Host, url.Port, timeout.Token);
            var scanner = new ClamdScanner(client);
            await scanner._stream.WriteAsync("zINSTREAM\0"u8.ToArray(), ct);
            return scanner;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            client.Dispose();
            throw new ScannerUnavailableException($"virus scanner unreachable: {e.Message}");
        }
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        if (chunk.IsEmpty) return;
        try
        {
            BinaryPrimitives.WriteUInt32BigEndian(_length, (uint)chunk.Length);
            await _stream.WriteAsync(_length, ct);
            await _stream.WriteAsync(chunk, ct);
        }
        catch (IOException e)
        {
            // clamd closes the connection when the stream passes its StreamMaxLength.
            throw new ScannerUnavailableException($"virus scanner closed the stream: {e.Message}");
        }
    }

    /// <summary>Ends the stream and returns the signature name found, or null when clean.</summary>
    public async Task<string?> FinishAsync(CancellationToken ct)
    {
        string reply;
        try
        {
            await _stream.WriteAsync(new byte[4], ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            var buffer = new byte[1024];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await _stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                if (n == 0) break;
                read += n;
                if (buffer.AsSpan(0, read).IndexOf((byte)0) >= 0) break;
            }
            reply = Encoding.ASCII.GetString(buffer, 0, read).TrimEnd('\0', '\n');
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new ScannerUnavailableException($"virus scanner did not answer: {e.Message}");
        }
        if (reply.EndsWith(" OK", StringComparison.Ordinal)) return null;
        if (reply.EndsWith(" FOUND", StringComparison.Ordinal))
        {
            var body = reply.StartsWith("stream: ", StringComparison.Ordinal) ? reply["stream: ".Length..] : reply;
            return body[..^" FOUND".Length];
        }
        throw new ScannerUnavailableException($"virus scanner answered: {reply}");
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>clamd is configured but could not scan: the upload stays staged and the client may retry.</summary>
public sealed class ScannerUnavailableException(string message) : Exception(message);
