using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Domain.Events;
using Peregrine.Graph.Subscriptions;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.WebSockets;

/// <summary>Live queries end to end: first result, a new result after each relevant committed write, nothing otherwise.</summary>
[Collection(PeregrineCollection.Name)]
public sealed class LiveQueryTests(PeregrineFixture fx)
{
    private LiveQueryRegistry Registry => fx.Factory.Services.GetRequiredService<LiveQueryRegistry>();

    private async Task<WsClient> SubscribedAsync(string id, string query, object? variables = null, bool alone = true)
    {
        // Counters are per instance: let the previous test's sockets finish closing first.
        for (var i = 0; alone && i < 100 && (Registry.GroupCount > 0 || Registry.StreamCount > 0); i++) await Task.Delay(50);
        await fx.Factory.Services.GetRequiredService<PostgresChangeListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return await WsClient.AdminSubscribedAsync(fx, id, query, variables);
    }


    [Fact]
    public async Task First_result_then_a_new_one_after_an_API_insert_and_after_direct_SQL_writes()
    {
        var name = "rt-" + Guid.NewGuid().ToString("N")[..8];
        await using var ws = await SubscribedAsync("live", "subscription ($n: String!) { categories(where: {name: {_eq: $n}}) { name icon } }", new { n = name });
        Assert.Empty((await ws.NextDataAsync("categories")).AsArray());

        var inserted = await fx.GraphQLAsync("mutation ($n: String!) { insert_categories_one(object: {name: $n, icon: \"a\"}) { id } }", new { n = name });
        inserted.Data();
        var afterInsert = (await ws.NextDataAsync("categories")).AsArray();
        Assert.Equal("a", (string?)Assert.Single(afterInsert)!["icon"]);

        await fx.ScalarAsync<int>("UPDATE categories SET icon = 'b' WHERE name = $1", name);
        Assert.Equal("b", (string?)(await ws.NextDataAsync("categories"))[0]!["icon"]);

        await fx.ScalarAsync<int>("DELETE FROM categories WHERE name = $1", name);
        Assert.Empty((await ws.NextDataAsync("categories")).AsArray());
    }

    [Fact]
    public async Task A_write_to_another_table_sends_nothing_and_runs_nothing()
    {
        await using var ws = await SubscribedAsync("c", "subscription { categories(order_by: {name: asc}, limit: 2) { name } }");
        await ws.NextDataAsync("categories");
        var runs = Registry.Stats.Refreshes;
        await fx.ScalarAsync<int>("UPDATE users SET profile = profile || '{\"rt\": 1}'::jsonb WHERE id = (SELECT id FROM users LIMIT 1)");
        Assert.Null(await ws.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
        Assert.Equal(runs, Registry.Stats.Refreshes);
    }

    [Fact]
    public async Task A_row_that_fails_the_filter_before_and_after_runs_nothing()
    {
        const string query = "subscription ($h: String!) { phenom_reports(where: {h3_index: {_eq: $h}}, order_by: {timestamp: desc}, limit: 5) { id description } }";
        await using var ws = await SubscribedAsync("f", query, new { h = "8f2a1072b59ffff" });
        await ws.NextDataAsync("phenom_reports");
        var runs = Registry.Stats.Refreshes;
        await fx.ScalarAsync<int>("""
            INSERT INTO phenom_reports (location, h3_index, description)
            VALUES (ST_GeogFromText('POINT(1 1)'), '8f00000000fffff', 'elsewhere')
            """);
        Assert.Null(await ws.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
        Assert.Equal(runs, Registry.Stats.Refreshes);

        await fx.ScalarAsync<int>("""
            INSERT INTO phenom_reports (location, h3_index, description)
            VALUES (ST_GeogFromText('POINT(1 1)'), '8f2a1072b59ffff', 'here')
            """);
        Assert.Equal("here", (string?)(await ws.NextDataAsync("phenom_reports"))[0]!["description"]);
    }

    [Fact]
    public async Task An_update_of_columns_the_query_does_not_read_runs_nothing()
    {
        await using var ws = await SubscribedAsync("u", "subscription { users(order_by: {created_at: asc}, limit: 3) { id created_at } }");
        await ws.NextDataAsync("users");
        var runs = Registry.Stats.Refreshes;
        await fx.ScalarAsync<int>("UPDATE users SET profile = profile || '{\"seen\": true}'::jsonb");
        Assert.Null(await ws.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
        Assert.Equal(runs, Registry.Stats.Refreshes);
    }

    [Fact]
    public async Task Hex_bins_refresh_only_for_a_row_that_can_move_a_count()
    {
        var tag = "hexlive-" + Guid.NewGuid().ToString("N")[..8];
        const string query = "subscription ($d: String!) { phenom_hex_bins(resolution: 2, where: {description: {_eq: $d}}) { h3_index count } }";
        await using var ws = await SubscribedAsync("hb", query, new { d = tag });
        Assert.Empty((await ws.NextDataAsync("phenom_hex_bins")).AsArray());
        var runs = Registry.Stats.Refreshes;

        // Another table; a report failing the filter before and after; an update of columns bins never read.
        await fx.ScalarAsync<int>("UPDATE users SET profile = profile || '{\"hb\": 1}'::jsonb WHERE id = (SELECT id FROM users LIMIT 1)");
        // Two stored cells far apart (the lowest and highest base cells in use) so the bins differ.
        var first = await fx.ScalarAsync<long>("SELECT min(h3_cell_r15) FROM phenom_reports");
        var last = await fx.ScalarAsync<long>("SELECT max(h3_cell_r15) FROM phenom_reports");
        await fx.ScalarAsync<int>("INSERT INTO phenom_reports (location, h3_cell_r15, description) VALUES (ST_GeogFromText('POINT(2 2)'), $2, 'not-' || $1)", tag, first);
        await fx.ScalarAsync<int>("UPDATE phenom_reports SET timestamp = timestamp WHERE description = 'not-' || $1", tag);
        Assert.Null(await ws.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
        Assert.Equal(runs, Registry.Stats.Refreshes);

        // A report passing the filter is counted; moving it to another cell refreshes again.
        await fx.ScalarAsync<int>("INSERT INTO phenom_reports (location, h3_cell_r15, description) VALUES (ST_GeogFromText('POINT(2 2)'), $2, $1)", tag, first);
        var bin = Assert.Single((await ws.NextDataAsync("phenom_hex_bins")).AsArray())!;
        Assert.Equal(1, (int)bin["count"]!);
        var before = (string?)bin["h3_index"];
        await fx.ScalarAsync<int>("UPDATE phenom_reports SET h3_cell_r15 = $2 WHERE description = $1", tag, last);
        var moved = Assert.Single((await ws.NextDataAsync("phenom_hex_bins")).AsArray())!;
        Assert.NotEqual(before, (string?)moved["h3_index"]);
        Assert.Equal(runs + 2, Registry.Stats.Refreshes);
    }

    [Fact]
    public async Task Identical_subscribers_share_one_group_and_one_run_per_change()
    {
        var name = "rt-" + Guid.NewGuid().ToString("N")[..8];
        const string query = "subscription ($n: String!) { categories(where: {name: {_eq: $n}}) { name } }";
        await using var a = await SubscribedAsync("a", query, new { n = name });
        await using var b = await SubscribedAsync("b", query, new { n = name }, alone: false);
        await a.NextDataAsync("categories");
        await b.NextDataAsync("categories");
        var groups = Registry.GroupCount;
        var runs = Registry.Stats.Refreshes;

        await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ($1)", name);
        Assert.Single((await a.NextDataAsync("categories")).AsArray());
        Assert.Single((await b.NextDataAsync("categories")).AsArray());
        Assert.Equal(runs + 1, Registry.Stats.Refreshes);
        Assert.True(groups >= 1);
    }

    [Fact]
    public async Task A_by_pk_subscription_follows_its_row()
    {
        var id = await fx.ScalarAsync<Guid>("INSERT INTO categories (name, icon) VALUES ($1, 'one') RETURNING id", "rt-pk-" + Guid.NewGuid().ToString("N")[..6]);
        await using var ws = await SubscribedAsync("pk", "subscription ($id: uuid!) { categories_by_pk(id: $id) { icon } }", new { id });
        Assert.Equal("one", (string?)(await ws.NextDataAsync("categories_by_pk"))["icon"]);
        var runs = Registry.Stats.Refreshes;
        await fx.ScalarAsync<int>("UPDATE categories SET icon = 'other' WHERE id <> $1 AND name LIKE 'rt-pk-%'", id);
        await fx.ScalarAsync<int>("UPDATE categories SET icon = 'two' WHERE id = $1", id);
        Assert.Equal("two", (string?)(await ws.NextDataAsync("categories_by_pk"))["icon"]);
        Assert.Equal(runs + 1, Registry.Stats.Refreshes);
    }

    [Fact]
    public async Task A_stopped_subscription_leaves_no_group_behind()
    {
        var name = "rt-gone-" + Guid.NewGuid().ToString("N")[..8];
        var before = Registry.GroupCount;
        await using (var ws = await SubscribedAsync("g", "subscription ($n: String!) { categories(where: {name: {_eq: $n}}) { name } }", new { n = name }))
        {
            await ws.NextDataAsync("categories");
            Assert.Equal(before + 1, Registry.GroupCount);
        }
        for (var i = 0; i < 50 && Registry.GroupCount != before; i++) await Task.Delay(50);
        Assert.Equal(before, Registry.GroupCount);
    }

    [Fact]
    public async Task An_aggregate_subscription_counts_again_after_a_matching_insert_only()
    {
        var prefix = "agg-" + Guid.NewGuid().ToString("N")[..6];
        await using var ws = await SubscribedAsync("agg", "subscription ($like: String!) { categories_aggregate(where: {name: {_like: $like}}) { aggregate { count } } }", new { like = prefix + "%" });
        Assert.Equal(0, (int)(await ws.NextDataAsync("categories_aggregate"))["aggregate"]!["count"]!);
        await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ($1)", prefix + "-1");
        Assert.Equal(1, (int)(await ws.NextDataAsync("categories_aggregate"))["aggregate"]!["count"]!);
        // Updating a column the count neither filters nor counts runs nothing.
        var runs = Registry.Stats.Refreshes;
        await fx.ScalarAsync<int>("UPDATE categories SET icon = 'i' WHERE name = $1", prefix + "-1");
        Assert.Null(await ws.NothingWithinAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(runs, Registry.Stats.Refreshes);
    }

    [Fact]
    public async Task Groups_of_one_shape_are_refreshed_by_one_multiplexed_statement()
    {
        var tag = "mx" + Guid.NewGuid().ToString("N")[..6];
        const string query = "subscription ($p: String!) { categories(where: {name: {_like: $p}}, order_by: {name: asc}) { name } }";
        var clients = new List<WsClient>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var ws = await SubscribedAsync("m" + i, query, new { p = $"{tag}-{i}%" }, alone: i == 0);
                Assert.Empty((await ws.NextDataAsync("categories")).AsArray());
                clients.Add(ws);
            }
            var runs = Registry.Stats.Refreshes;
            var multiplexed = Registry.Stats.MultiplexedGroups;
            // `_like` cannot be judged from the row image, so every group of the shape must look again.
            await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ($1)", $"{tag}-3-x");
            Assert.Equal($"{tag}-3-x", (string?)(await clients[3].NextDataAsync("categories"))[0]!["name"]);
            foreach (var i in new[] { 0, 1, 2, 4 }) Assert.Null(await clients[i].NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
            Assert.Equal(runs + 1, Registry.Stats.Refreshes);
            Assert.Equal(multiplexed + 5, Registry.Stats.MultiplexedGroups);

            // And again: the multiplexed results compare equal to the executor's, so nothing spurious is sent.
            await fx.ScalarAsync<int>("INSERT INTO categories (name) VALUES ($1)", $"{tag}-1-y");
            Assert.Equal($"{tag}-1-y", (string?)(await clients[1].NextDataAsync("categories"))[0]!["name"]);
            foreach (var i in new[] { 0, 2, 3, 4 }) Assert.Null(await clients[i].NothingWithinAsync(TimeSpan.FromMilliseconds(300)));
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_h3_in_cell_feed_runs_only_for_reports_inside_its_cell()
    {
        const string cell = "872a100d2ffffff"; // resolution 7, around (40.75, -73.98)
        const string insert = "mutation ($loc: geography!, $d: String!) { insert_phenom_reports_one(object: {location: $loc, description: $d}) { id } }";
        await using var ws = await SubscribedAsync("h3", "subscription ($c: String!) { phenom_reports(where: {h3_index: {_h3_in_cell: $c}}, order_by: {timestamp: desc}, limit: 3) { description } }", new { c = cell });
        await ws.NextDataAsync("phenom_reports");
        var runs = Registry.Stats.Refreshes;
        (await fx.GraphQLAsync(insert, new { loc = new { type = "Point", coordinates = new[] { 2.35, 48.85 } }, d = "paris" })).Data();
        Assert.Null(await ws.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));
        Assert.Equal(runs, Registry.Stats.Refreshes);

        (await fx.GraphQLAsync(insert, new { loc = new { type = "Point", coordinates = new[] { -73.98, 40.75 } }, d = "midtown" })).Data();
        Assert.Equal("midtown", (string?)(await ws.NextDataAsync("phenom_reports"))[0]!["description"]);
    }
}
