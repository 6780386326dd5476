using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;
using Peregrine.Graph.Tests.Transport.Limits;

namespace Peregrine.Graph.Tests.WebSockets;

/// <summary>
/// Issue 13 §1 on the websocket path, for both subprotocols: the document limits on subscribe/start payloads
/// (answered as an error for that operation, the connection stays and keeps serving), subscriptions per
/// socket, message size, a connection_init flood, and duplicate keys in a message.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class WebSocketLimitsTests(PeregrineFixture fx)
{
    private const string Modern = "graphql-transport-ws";
    private const string Legacy = "graphql-ws";

    private static object Init() => new { type = "connection_init", payload = new { } }; // anonymous: the unauthorized role

    private static object Subscribe(string protocol, string id, string query) =>
        new { id, type = protocol == Modern ? "subscribe" : "start", payload = new { query } };

    private static async Task<WsClient> AcknowledgedAsync(LimitsHost host, string protocol)
    {
        var ws = await WsClient.ConnectAsync(host.Factory, protocol);
        await ws.SendAsync(Init());
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        return ws;
    }

    // The error of operation `id`: graphql-transport-ws sends a list of errors, the legacy protocol one object.
    private static async Task<JsonNode> ErrorOfAsync(WsClient ws, string protocol, string id)
    {
        var m = (await ws.ReceiveSkippingAsync("ka", TimeSpan.FromSeconds(5)))!;
        Assert.Equal("error", (string?)m["type"]);
        Assert.Equal(id, (string?)m["id"]);
        return protocol == Modern ? m["payload"]![0]! : m["payload"]!;
    }

    private static async Task<JsonNode> DataOfAsync(WsClient ws, string id)
    {
        var m = (await ws.ReceiveSkippingAsync("ka", TimeSpan.FromSeconds(10)))!;
        Assert.True((string?)m["type"] is "next" or "data", m.ToJsonString());
        Assert.Equal(id, (string?)m["id"]);
        return m["payload"]!["data"]!;
    }

    [Theory]
    [InlineData(Modern, "fragment-chain", "fragment spreads are nested")]
    [InlineData(Legacy, "fragment-chain", "fragment spreads are nested")]
    [InlineData(Modern, "fragment-cycle", "Cannot spread fragment 'F0' within itself")]
    [InlineData(Legacy, "fragment-cycle", "Cannot spread fragment 'F0' within itself")]
    [InlineData(Modern, "repeated-field", "PEREGRINE_MAX_FIELDS=2000")]
    [InlineData(Legacy, "repeated-field", "PEREGRINE_MAX_FIELDS=2000")]
    [InlineData(Modern, "deep-selection", "query nesting too deep")]
    [InlineData(Legacy, "deep-selection", "query nesting too deep")]
    public async Task A_subscribe_payload_past_a_limit_is_refused_and_the_connection_keeps_serving(string protocol, string shape, string message)
    {
        await using var host = new LimitsHost(fx);
        await using var ws = await AcknowledgedAsync(host, protocol);
        var query = "subscription " + AbusiveDocuments.All[shape](100_000).TrimStart().TrimStart("query".ToCharArray());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await ws.SendAsync(Subscribe(protocol, "bad", query));
        var error = await ErrorOfAsync(ws, protocol, "bad");
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, LimitsHost.Prompt);
        Assert.Equal("validation-failed", (string?)error["extensions"]!["code"]);
        Assert.Contains(message, (string?)error["message"]);
        await ws.SendAsync(Subscribe(protocol, "good", "subscription { categories(limit: 1) { name } }"));
        Assert.Single((await DataOfAsync(ws, "good"))["categories"]!.AsArray());
    }

    [Theory]
    [InlineData(Modern)]
    [InlineData(Legacy)]
    public async Task A_document_over_the_size_limit_is_refused(string protocol)
    {
        await using var host = new LimitsHost(fx, ("PEREGRINE_MAX_DOCUMENT_BYTES", "1000"));
        await using var ws = await AcknowledgedAsync(host, protocol);
        await ws.SendAsync(Subscribe(protocol, "big", "subscription { categories { " + string.Concat(Enumerable.Repeat("name ", 300)) + "} }"));
        var error = await ErrorOfAsync(ws, protocol, "big");
        Assert.Equal("validation-failed", (string?)error["extensions"]!["code"]);
        Assert.Contains("PEREGRINE_MAX_DOCUMENT_BYTES=1000", (string?)error["message"]);
    }

    [Theory]
    [InlineData(Modern)]
    [InlineData(Legacy)]
    public async Task Subscriptions_past_the_per_socket_limit_are_refused_one_by_one(string protocol)
    {
        await using var host = new LimitsHost(fx, ("PEREGRINE_WS_MAX_SUBSCRIPTIONS", "3"));
        await using var ws = await AcknowledgedAsync(host, protocol);
        for (var i = 0; i < 3; i++)
        {
            await ws.SendAsync(Subscribe(protocol, $"s{i}", $"subscription {{ categories(limit: {i + 1}) {{ name }} }}"));
            Assert.Equal(i + 1, (await DataOfAsync(ws, $"s{i}"))["categories"]!.AsArray().Count);
        }
        await ws.SendAsync(Subscribe(protocol, "s3", "subscription { categories(limit: 4) { name } }"));
        var error = await ErrorOfAsync(ws, protocol, "s3");
        Assert.Equal("validation-failed", (string?)error["extensions"]!["code"]);
        Assert.Equal("too many subscriptions on one connection: the limit is 3 (PEREGRINE_WS_MAX_SUBSCRIPTIONS=3)", (string?)error["message"]);
        // Ending one makes room again.
        await ws.SendAsync(new { id = "s0", type = protocol == Modern ? "complete" : "stop" });
        await Task.Delay(200);
        await ws.SendAsync(Subscribe(protocol, "s4", "subscription { categories(limit: 4) { name } }"));
        Assert.Equal(4, (await DataOfAsync(ws, "s4"))["categories"]!.AsArray().Count);
    }

    [Theory]
    [InlineData(Modern)]
    [InlineData(Legacy)]
    public async Task A_message_over_the_size_limit_closes_with_1009(string protocol)
    {
        await using var host = new LimitsHost(fx, ("PEREGRINE_WS_MAX_MESSAGE_BYTES", "20000"));
        await using var ws = await AcknowledgedAsync(host, protocol);
        await ws.SendAsync(Subscribe(protocol, "x", "subscription { categories(where: {name: {_eq: \"" + new string('x', 30_000) + "\"}}) { name } }"));
        Assert.Equal(1009, await ws.ClosedWithAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(Modern)]
    [InlineData(Legacy)]
    public async Task A_second_connection_init_closes_with_4429(string protocol)
    {
        await using var host = new LimitsHost(fx);
        await using var ws = await AcknowledgedAsync(host, protocol);
        for (var i = 0; i < 50; i++) await ws.SendAsync(Init());
        Assert.Equal(4429, await ws.ClosedWithAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(Modern)]
    [InlineData(Legacy)]
    public async Task Duplicate_keys_in_a_message_keep_the_last_value(string protocol)
    {
        await using var host = new LimitsHost(fx);
        await using var ws = await AcknowledgedAsync(host, protocol);
        var type = protocol == Modern ? "subscribe" : "start";
        await ws.SendTextAsync("{\"id\": \"d\", \"type\": \"" + type + "\", \"payload\": {\"query\": \"query($n: Int) { categories(limit: $n) { name } }\", "
            + "\"variables\": {\"n\": 1, \"n\": 3}, \"query\": \"subscription($n: Int) { categories(limit: $n) { name } }\"}}");
        Assert.Equal(3, (await DataOfAsync(ws, "d"))["categories"]!.AsArray().Count);
    }
}
