using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Domain.Events;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.WebSockets;

/// <summary><c>&lt;table&gt;_stream</c>: rows after the cursor, in order, in batches, none twice, none skipped.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class StreamingSubscriptionTests(PeregrineFixture fx)
{
    private async Task<WsClient> StreamAsync(string query, object? variables = null)
    {
        await fx.Factory.Services.GetRequiredService<PostgresChangeListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var ws = await WsClient.ConnectAsync(fx, "graphql-transport-ws");
        await ws.SendAsync(new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["x-hasura-admin-secret"] = PeregrineFixture.AdminSecret } } });
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        await ws.SendAsync(new { id = "s", type = "subscribe", payload = new { query, variables } });
        return ws;
    }

    private static async Task<List<string>> BatchAsync(WsClient ws, string field)
    {
        var m = (await ws.ReceiveAsync())!;
        Assert.True((string?)m["type"] == "next", m.ToJsonString());
        return m["payload"]!["data"]![field]!.AsArray().Select(r => (string)r!["name"]!).ToList();
    }

    [Fact]
    public async Task Rows_after_the_cursor_arrive_in_order_in_batches_then_new_rows_follow()
    {
        var prefix = "st" + Guid.NewGuid().ToString("N")[..6] + "-";
        foreach (var s in new[] { "a", "b", "c", "d", "e" })
            await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ($1)", prefix + s);
        await using var ws = await StreamAsync("""
            subscription ($p: String!, $like: String!) {
              categories_stream(batch_size: 2, cursor: {initial_value: {name: $p}, ordering: ASC}, where: {name: {_like: $like}}) { name }
            }
            """, new { p = prefix, like = prefix + "%" });
        var seen = new List<string>();
        seen.AddRange(await BatchAsync(ws, "categories_stream"));
        Assert.Equal(2, seen.Count);
        seen.AddRange(await BatchAsync(ws, "categories_stream"));
        seen.AddRange(await BatchAsync(ws, "categories_stream"));
        Assert.Equal(new[] { "a", "b", "c", "d", "e" }.Select(s => prefix + s), seen);

        await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ($1), ($2)", prefix + "f", prefix + "g");
        var more = await BatchAsync(ws, "categories_stream");
        Assert.Equal(new[] { prefix + "f", prefix + "g" }, more);
        Assert.Null(await ws.NothingWithinAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Descending_cursor_streams_downwards()
    {
        var prefix = "sd" + Guid.NewGuid().ToString("N")[..6] + "-";
        foreach (var s in new[] { "a", "b", "c" })
            await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ($1)", prefix + s);
        await using var ws = await StreamAsync("""
            subscription ($p: String!, $like: String!) {
              categories_stream(batch_size: 10, cursor: {initial_value: {name: $p}, ordering: DESC}, where: {name: {_like: $like}}) { name }
            }
            """, new { p = prefix + "z", like = prefix + "%" });
        Assert.Equal(new[] { "c", "b", "a" }.Select(s => prefix + s), await BatchAsync(ws, "categories_stream"));
    }

    [Fact]
    public async Task Rows_sharing_a_cursor_value_are_neither_repeated_nor_skipped()
    {
        var tag = "tie-" + Guid.NewGuid().ToString("N")[..6];
        // Five reports with the same timestamp: the primary key orders them across batch boundaries.
        await fx.ScalarAsync<int>($"""
            INSERT INTO phenom_reports (location, "timestamp", description)
            SELECT ST_GeogFromText('POINT(2 2)'), '2030-01-01Z', '{tag}' FROM generate_series(1, 5)
            """);
        await using var ws = await StreamAsync("""
            subscription ($tag: String!) {
              phenom_reports_stream(batch_size: 2, cursor: {initial_value: {timestamp: "2029-12-31T00:00:00Z"}}, where: {description: {_eq: $tag}}) { id }
            }
            """, new { tag });
        var ids = new List<string>();
        while (ids.Count < 5)
        {
            var m = (await ws.ReceiveAsync())!;
            ids.AddRange(m["payload"]!["data"]!["phenom_reports_stream"]!.AsArray().Select(r => (string)r!["id"]!));
        }
        Assert.Equal(5, ids.Distinct().Count());
        Assert.Null(await ws.NothingWithinAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_stream_with_two_cursor_columns_is_a_validation_error()
    {
        await using var ws = await StreamAsync("subscription { categories_stream(batch_size: 1, cursor: {initial_value: {name: \"a\", icon: \"b\"}}) { name } }");
        var m = (await ws.ReceiveAsync())!;
        Assert.Equal("error", (string?)m["type"]);
        Assert.Equal("validation-failed", (string?)m["payload"]![0]!["extensions"]!["code"]);
    }
}
