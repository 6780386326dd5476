using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.WebSockets;

/// <summary>The legacy graphql-ws protocol (subscriptions-transport-ws), Hasura's default.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class SubscriptionsTransportWsProtocolTests(PeregrineFixture fx)
{
    private const string Protocol = "graphql-ws";
    private static readonly object Init = new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["x-hasura-admin-secret"] = PeregrineFixture.AdminSecret } } };

    private async Task<WsClient> AcknowledgedAsync()
    {
        var ws = await WsClient.ConnectAsync(fx, Protocol);
        Assert.Equal(Protocol, ws.Socket.SubProtocol);
        await ws.SendAsync(Init);
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        Assert.Equal("ka", (string?)(await ws.ReceiveAsync())!["type"]);
        return ws;
    }

    [Fact]
    public async Task Handshake_acknowledges_then_keeps_alive_every_five_seconds()
    {
        await using var ws = await AcknowledgedAsync();
        var started = DateTime.UtcNow;
        Assert.Equal("ka", (string?)(await ws.ReceiveAsync(TimeSpan.FromSeconds(8)))!["type"]);
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 3.5, 7.5);
    }

    [Fact]
    public async Task No_subprotocol_gets_the_legacy_protocol()
    {
        await using var ws = await WsClient.ConnectAsync(fx, null);
        await ws.SendAsync(Init);
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
    }

    [Fact]
    public async Task A_query_sends_data_then_complete()
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendAsync(new { id = "1", type = "start", payload = new { query = "{ categories(limit: 3) { name } }" } });
        var data = (await ws.ReceiveSkippingAsync("ka"))!;
        Assert.Equal("data", (string?)data["type"]);
        Assert.Equal(3, data["payload"]!["data"]!["categories"]!.AsArray().Count);
        Assert.Equal("complete", (string?)(await ws.ReceiveSkippingAsync("ka"))!["type"]);
    }

    [Fact]
    public async Task Wrong_admin_secret_gets_connection_error_then_close()
    {
        await using var ws = await WsClient.ConnectAsync(fx, Protocol);
        await ws.SendAsync(new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["x-hasura-admin-secret"] = "wrong" } } });
        var error = (await ws.ReceiveAsync())!;
        Assert.Equal("connection_error", (string?)error["type"]);
        Assert.Equal("access-denied", (string?)error["payload"]!["extensions"]!["code"]);
        Assert.Equal(4403, await ws.ClosedWithAsync());
    }

    [Fact]
    public async Task Start_before_connection_init_is_an_error_for_that_operation()
    {
        await using var ws = await WsClient.ConnectAsync(fx, Protocol);
        await ws.SendAsync(new { id = "early", type = "start", payload = new { query = "{ categories { id } }" } });
        var error = (await ws.ReceiveAsync())!;
        Assert.Equal("error", (string?)error["type"]);
        Assert.Equal("early", (string?)error["id"]);
    }

    [Fact]
    public async Task A_duplicate_id_is_an_error_and_the_first_operation_goes_on()
    {
        await using var ws = await AcknowledgedAsync();
        var start = new { id = "d", type = "start", payload = new { query = "subscription { categories(limit: 1) { id } }" } };
        await ws.SendAsync(start);
        Assert.Equal("data", (string?)(await ws.ReceiveSkippingAsync("ka"))!["type"]);
        await ws.SendAsync(start);
        var error = (await ws.ReceiveSkippingAsync("ka"))!;
        Assert.Equal("error", (string?)error["type"]);
        Assert.Equal("d", (string?)error["id"]);
    }

    [Fact]
    public async Task Malformed_json_gets_connection_error_and_the_connection_stays()
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendTextAsync("{oops");
        Assert.Equal("connection_error", (string?)(await ws.ReceiveSkippingAsync("ka"))!["type"]);
        await ws.SendAsync(new { id = "2", type = "start", payload = new { query = "{ categories(limit: 1) { id } }" } });
        Assert.Equal("data", (string?)(await ws.ReceiveSkippingAsync("ka"))!["type"]);
    }

    [Fact]
    public async Task Connection_terminate_closes_the_socket()
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendAsync(new { type = "connection_terminate" });
        Assert.Equal(1000, await ws.ClosedWithAsync());
    }
}
