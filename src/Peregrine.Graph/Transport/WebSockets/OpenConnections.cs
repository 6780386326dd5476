using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Peregrine.Graph.Transport.WebSockets;

/// <summary>
/// The websockets this instance holds, so a stopping server can say goodbye to each one (close 1001,
/// going away) instead of leaving the host to wait for them and then cut them.
/// </summary>
public sealed class OpenConnections
{
    private readonly ConcurrentDictionary<WebSocketConnection, byte> _open = new();
    private volatile bool _closing;

    public int Count => _open.Count;

    /// <summary>True once <see cref="CloseAll"/> ran: new websockets are refused.</summary>
    public bool IsClosing => _closing;

    internal IDisposable Track(WebSocketConnection connection)
    {
        _open.TryAdd(connection, 0);
        // Accepted while closing began: close it too.
        if (_closing) connection.Close(WebSocketCloseStatus.EndpointUnavailable, "going away");
        return new Registration(this, connection);
    }

    /// <summary>Closes every open websocket with 1001 after the messages already queued for it.</summary>
    public void CloseAll()
    {
        _closing = true;
        foreach (var c in _open.Keys) c.Close(WebSocketCloseStatus.EndpointUnavailable, "going away");
    }

    private sealed class Registration(OpenConnections owner, WebSocketConnection connection) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(connection, out _);
    }
}
