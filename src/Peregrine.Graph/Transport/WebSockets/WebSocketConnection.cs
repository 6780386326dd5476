using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Peregrine.Graph.Transport.WebSockets;

/// <summary>
/// The wire under a subscription server: whole text messages in, a queue of messages out drained by one
/// writer (a WebSocket allows one send at a time). The queue is bounded in bytes: a client that stops
/// reading is aborted once it holds <see cref="MaxPendingBytes"/>, instead of the server buffering
/// without limit. An incoming message over the size limit closes with 1009 (Message Too Big).
/// </summary>
internal sealed class WebSocketConnection(WebSocket socket, long maxMessageBytes)
{
    public const long MaxPendingBytes = 16 * 1024 * 1024;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private long _pendingBytes;
    private int _closing;

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Queues a message; false when the connection is closing or the client has stopped reading.</summary>
    public bool Send(string message)
    {
        if (IsClosing) return false;
        var size = message.Length;
        if (Interlocked.Add(ref _pendingBytes, size) > MaxPendingBytes)
        {
            Abort();
            return false;
        }
        return _outbox.Writer.TryWrite(new Outgoing(message, null, null));
    }

    /// <summary>Sends a close frame after the messages already queued, then stops sending.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        _outbox.Writer.TryWrite(new Outgoing(null, status, Fit(reason)));
        _outbox.Writer.TryComplete();
        // A client that does not read never lets the close frame out: give it a few seconds.
        _ = Task.Delay(CloseTimeout).ContinueWith(_ => { if (socket.State is not (WebSocketState.Closed or WebSocketState.Aborted)) socket.Abort(); },
            TaskScheduler.Default);
    }

    public void Close(int code, string reason) => Close((WebSocketCloseStatus)code, reason);

    public void Abort()
    {
        Interlocked.Exchange(ref _closing, 1);
        _outbox.Writer.TryComplete();
        socket.Abort();
    }

    public async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var m in _outbox.Reader.ReadAllAsync())
            {
                if (m.Text is { } text)
                {
                    Interlocked.Add(ref _pendingBytes, -text.Length);
                    var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
                    try
                    {
                        var n = Encoding.UTF8.GetBytes(text, bytes);
                        await socket.SendAsync(bytes.AsMemory(0, n), WebSocketMessageType.Text, true, CancellationToken.None);
                    }
                    finally { ArrayPool<byte>.Shared.Return(bytes); }
                }
                else if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(m.Status!.Value, m.Reason, CancellationToken.None);
                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    /// <summary>The next whole message as text; null once the client closed (or the connection is gone).</summary>
    public async Task<string?> ReceiveAsync(CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            ValueWebSocketReceiveResult r;
            try { r = await socket.ReceiveAsync(buffer.GetMemory(4096), ct); }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException) { return null; }
            if (r.MessageType == WebSocketMessageType.Close)
            {
                // Answer the client's close handshake (unless we started it).
                Close(WebSocketCloseStatus.NormalClosure, "");
                return null;
            }
            buffer.Advance(r.Count);
            if (buffer.WrittenCount > maxMessageBytes)
            {
                Close(WebSocketCloseStatus.MessageTooBig, $"message larger than {maxMessageBytes} bytes");
                return null;
            }
            if (r.EndOfMessage) return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    // A close reason must fit in a control frame: at most 123 bytes of UTF-8.
    private static string Fit(string reason)
    {
        while (Encoding.UTF8.GetByteCount(reason) > 123) reason = reason[..^1];
        return reason;
    }

    private readonly record struct Outgoing(string? Text, WebSocketCloseStatus? Status, string? Reason);
}
