using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.WebSockets;

/// <summary>A raw websocket client over the test server: sends JSON messages, reads them with a timeout.</summary>
internal sealed class WsClient : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly System.Threading.Channels.Channel<JsonObject?> _inbox = System.Threading.Channels.Channel.CreateUnbounded<JsonObject?>();

    private WsClient(WebSocket socket)
    {
        _socket = socket;
        _ = ReadLoopAsync();
    }

    public WebSocket Socket => _socket;

    public static Task<WsClient> ConnectAsync(PeregrineFixture fx, string? subProtocol) => ConnectAsync(fx.Factory, subProtocol);

    public static async Task<WsClient> ConnectAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, string? subProtocol)
    {
        var client = factory.Server.CreateWebSocketClient();
        if (subProtocol is not null) client.SubProtocols.Add(subProtocol);
        var socket = await client.ConnectAsync(new Uri(factory.Server.BaseAddress, "v1/graphql"), CancellationToken.None);
        return new WsClient(socket);
    }

    /// <summary>An admin graphql-transport-ws connection, acknowledged, with one subscription <paramref name="id"/> started.</summary>
    public static async Task<WsClient> AdminSubscribedAsync(PeregrineFixture fx, string id, string query, object? variables = null)
    {
        var ws = await ConnectAsync(fx, "graphql-transport-ws");
        await ws.SendAsync(new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["x-hasura-admin-secret"] = PeregrineFixture.AdminSecret } } });
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        await ws.SendAsync(new { id, type = "subscribe", payload = new { query, variables } });
        return ws;
    }

    /// <summary>The next message, which must be a <c>next</c>: its <c>data.field</c>.</summary>
    public async Task<JsonNode> NextDataAsync(string field)
    {
        var m = (await ReceiveAsync())!;
        Assert.True((string?)m["type"] == "next", m.ToJsonString());
        return m["payload"]!["data"]![field]!;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 16];
        using var ms = new MemoryStream();
        try
        {
            while (true)
            {
                var r = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close) break;
                ms.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                _inbox.Writer.TryWrite(JsonNode.Parse(ms.ToArray())!.AsObject());
                ms.SetLength(0);
            }
        }
        catch (Exception) { }
        _inbox.Writer.TryWrite(null);
        _inbox.Writer.TryComplete();
    }

    /// <summary>The next message, or null when the server closed the socket (see <see cref="ClosedWithAsync"/>).</summary>
    public async Task<JsonObject?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try { return await _inbox.Reader.ReadAsync(cts.Token); }
        catch (System.Threading.Channels.ChannelClosedException) { return null; }
    }

    /// <summary>The next message whose type is not <paramref name="skip"/> (keep-alives).</summary>
    public async Task<JsonObject?> ReceiveSkippingAsync(string skip, TimeSpan? timeout = null)
    {
        while (true)
        {
            var m = await ReceiveAsync(timeout);
            if (m is null || (string?)m["type"] != skip) return m;
        }
    }

    /// <summary>True when no message other than <paramref name="skip"/> arrives within <paramref name="wait"/>.</summary>
    public async Task<JsonObject?> NothingWithinAsync(TimeSpan wait, string? skip = null)
    {
        try
        {
            while (true)
            {
                var m = await ReceiveAsync(wait);
                if (skip is null || (string?)m?["type"] != skip) return m;
            }
        }
        catch (OperationCanceledException) { return null; }
    }

    /// <summary>Reads until the server closes and returns its close code.</summary>
    public async Task<int?> ClosedWithAsync(TimeSpan? timeout = null)
    {
        while (await ReceiveAsync(timeout) is not null) { }
        return (int?)_socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", new CancellationTokenSource(2000).Token);
        }
        catch (Exception) { }
        _socket.Dispose();
    }
}
