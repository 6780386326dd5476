using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.WebSockets;

/// <summary>graphql-transport-ws: handshake, ping, one-shot operations, and every close code of the spec.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class GraphQLWsProtocolTests(PeregrineFixture fx)
{
    private const string Protocol = "graphql-transport-ws";
    private static readonly object Init = new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["x-hasura-admin-secret"] = PeregrineFixture.AdminSecret } } };

    private async Task<WsClient> AcknowledgedAsync()
    {
        var ws = await WsClient.ConnectAsync(fx, Protocol);
        Assert.Equal(Protocol, ws.Socket.SubProtocol);
        await ws.SendAsync(Init);
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        return ws;
    }

    [Fact]
    public async Task Handshake_acknowledges_and_answers_ping_with_pong()
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (string?)(await ws.ReceiveAsync())!["type"]);
    }

    [Fact]
    public async Task Admin_secret_at_the_top_level_of_the_payload_is_accepted()
    {
        await using var ws = await WsClient.ConnectAsync(fx, Protocol);
        await ws.SendAsync(new { type = "connection_init", payload = new Dictionary<string, string> { ["x-hasura-admin-secret"] = PeregrineFixture.AdminSecret } });
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
    }

    [Fact]
    public async Task A_query_runs_once_then_completes()
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendAsync(new { id = "q1", type = "subscribe", payload = new { query = "query { categories(limit: 2) { id name } }" } });
        var next = (await ws.ReceiveAsync())!;
        Assert.Equal("next", (string?)next["type"]);
        Assert.Equal("q1", (string?)next["id"]);
        Assert.Equal(2, next["payload"]!["data"]!["categories"]!.AsArray().Count);
        var complete = (await ws.ReceiveAsync())!;
        Assert.Equal("complete", (string?)complete["type"]);
    }

    [Fact]
    public async Task An_invalid_operation_gets_an_error_message_and_the_connection_stays()
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendAsync(new { id = "bad", type = "subscribe", payload = new { query = "subscription { no_such_table { id } }" } });
        var error = (await ws.ReceiveAsync())!;
        Assert.Equal("error", (string?)error["type"]);
        Assert.Equal("validation-failed", (string?)error["payload"]![0]!["extensions"]!["code"]);
        await ws.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (string?)(await ws.ReceiveAsync())!["type"]);
    }

    [Fact]
    public async Task Wrong_admin_secret_closes_with_4403()
    {
        await using var ws = await WsClient.ConnectAsync(fx, Protocol);
        await ws.SendAsync(new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["x-hasura-admin-secret"] = "wrong" } } });
        Assert.Equal(4403, await ws.ClosedWithAsync());
    }

    [Fact]
    public async Task Subscribe_before_connection_init_closes_with_4401()
    {
        await using var ws = await WsClient.ConnectAsync(fx, Protocol);
        await ws.SendAsync(new { id = "1", type = "subscribe", payload = new { query = "{ categories { id } }" } });
        Assert.Equal(4401, await ws.ClosedWithAsync());
    }

    [Fact]
    public async Task A_second_connection_init_closes_with_4429()
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendAsync(Init);
        Assert.Equal(4429, await ws.ClosedWithAsync());
    }

    [Fact]
    public async Task No_connection_init_in_time_closes_with_4408()
    {
        await using var ws = await WsClient.ConnectAsync(fx, Protocol);
        Assert.Equal(4408, await ws.ClosedWithAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_duplicate_operation_id_closes_with_4409()
    {
        await using var ws = await AcknowledgedAsync();
        var subscribe = new { id = "dup", type = "subscribe", payload = new { query = "subscription { categories(limit: 1) { id } }" } };
        await ws.SendAsync(subscribe);
        Assert.Equal("next", (string?)(await ws.ReceiveAsync())!["type"]);
        await ws.SendAsync(subscribe);
        Assert.Equal(4409, await ws.ClosedWithAsync());
    }

    [Theory]
    [InlineData("{\"type\":\"no_such_type\"}")]
    [InlineData("not json")]
    [InlineData("{\"type\":\"subscribe\",\"payload\":{\"query\":\"{ categories { id } }\"}}")]
    public async Task A_malformed_message_closes_with_4400(string text)
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendTextAsync(text);
        Assert.Equal(4400, await ws.ClosedWithAsync());
    }

    [Fact]
    public async Task A_frame_over_the_size_limit_closes_with_1009()
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendTextAsync("{\"type\":\"ping\",\"payload\":\"" + new string('x', 10 * 1024 * 1024) + "\"}");
        Assert.Equal(1009, await ws.ClosedWithAsync());
    }

    [Fact]
    public async Task Complete_from_the_client_stops_a_subscription()
    {
        await using var ws = await AcknowledgedAsync();
        await ws.SendAsync(new { id = "s", type = "subscribe", payload = new { query = "subscription { categories(limit: 1) { id } }" } });
        Assert.Equal("next", (string?)(await ws.ReceiveAsync())!["type"]);
        await ws.SendAsync(new { id = "s", type = "complete" });
        // The id is free again: reusing it does not close the socket.
        await ws.SendAsync(new { id = "s", type = "subscribe", payload = new { query = "subscription { categories(limit: 1) { id } }" } });
        Assert.Equal("next", (string?)(await ws.ReceiveAsync())!["type"]);
    }
}

/// <summary>JWT sessions over websockets: accepted from connection_init, and the connection ends when the token does.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class WebSocketJwtTests(PeregrineFixture fx)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bearer_token_is_accepted_and_its_expiry_closes_the_connection_with_4403(bool inHeaders)
    {
        var token = Auth.TestTokens.Sign(Auth.TestTokens.Payload(lifetime: TimeSpan.FromSeconds(3)));
        await using var ws = await WsClient.ConnectAsync(fx, "graphql-transport-ws");
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
        await ws.SendAsync(new { type = "connection_init", payload = inHeaders ? (object)new { headers } : headers });
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        Assert.Equal(4403, await ws.ClosedWithAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_bad_token_closes_with_4403()
    {
        await using var ws = await WsClient.ConnectAsync(fx, "graphql-transport-ws");
        await ws.SendAsync(new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["Authorization"] = "Bearer not.a.jwt" } } });
        Assert.Equal(4403, await ws.ClosedWithAsync());
    }
}
