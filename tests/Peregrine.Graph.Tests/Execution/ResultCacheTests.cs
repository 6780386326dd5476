using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Execution.Results;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Execution;

/// <summary>
/// Answers kept by the result cache are served only while no write has committed since: every answer here
/// is checked against SQL after writes made behind the server's back (plain SQL on another connection),
/// so a cache that served a stale answer, or missed the snapshot of a transaction still open, fails.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class ResultCacheTests(PeregrineFixture fx)
{
    private const string Query = "query CacheCategories { categories(order_by: {name: asc}) { name } }";
    private ResultCache Cache => fx.Factory.Services.GetRequiredService<ResultCache>();

    private async Task<List<string>> NamesFromApiAsync() =>
        (await fx.GraphQLAsync(Query)).Data()["categories"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();

    private async Task<List<string>> NamesFromSqlAsync() =>
        (await fx.ScalarAsync<string>("SELECT string_agg(name, E'\\n' ORDER BY name COLLATE \"C\") FROM categories"))!.Split('\n').ToList();

    [Fact]
    public async Task A_repeated_query_is_answered_from_the_cache_while_nothing_is_written()
    {
        var expected = await NamesFromSqlAsync();
        // A change event of an earlier test in this database may still arrive and empty the cache once (seen in CI:
        // one hit of two), so the measurement starts once an answer has been served from the cache.
        for (var i = 0; i < 5; i++)
        {
            var before = Cache.Hits;
            Assert.Equal(expected, await NamesFromApiAsync());
            if (Cache.Hits > before) break;
        }
        var hits = Cache.Hits;
        Assert.Equal(expected, await NamesFromApiAsync());
        Assert.Equal(expected, await NamesFromApiAsync());
        Assert.True(Cache.Hits - hits >= 2, $"expected two answers from the cache, got {Cache.Hits - hits}");
    }

    [Fact]
    public async Task A_write_committed_behind_the_servers_back_is_seen_by_the_next_request()
    {
        await NamesFromApiAsync();
        await NamesFromApiAsync();
        var name = "Cache probe " + Guid.NewGuid().ToString("N")[..8];
        await fx.ScalarAsync<object>("INSERT INTO categories (id, name) VALUES (gen_random_uuid(), $1)", name);
        try
        {
            var afterInsert = await NamesFromApiAsync();
            Assert.Contains(name, afterInsert);
            Assert.Equal(await NamesFromSqlAsync(), afterInsert);
        }
        finally { await fx.ScalarAsync<object>("DELETE FROM categories WHERE name = $1", name); }
        var afterDelete = await NamesFromApiAsync();
        Assert.DoesNotContain(name, afterDelete);
        Assert.Equal(await NamesFromSqlAsync(), afterDelete);
    }

    [Fact]
    public async Task A_transaction_still_open_is_invisible_until_it_commits_and_then_seen()
    {
        var name = "Cache probe " + Guid.NewGuid().ToString("N")[..8];
        await using var connection = await fx.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand("INSERT INTO categories (id, name) VALUES (gen_random_uuid(), $1)", connection, tx))
        {
            insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = name });
            await insert.ExecuteNonQueryAsync();
        }
        // Computed and kept while the insert is in progress: its snapshot lists the open transaction.
        Assert.DoesNotContain(name, await NamesFromApiAsync());
        Assert.DoesNotContain(name, await NamesFromApiAsync());
        await tx.CommitAsync();
        try
        {
            var afterCommit = await NamesFromApiAsync();
            Assert.Contains(name, afterCommit);
            Assert.Equal(await NamesFromSqlAsync(), afterCommit);
        }
        finally { await fx.ScalarAsync<object>("DELETE FROM categories WHERE name = $1", name); }
    }

    [Fact]
    public async Task A_mutation_through_the_api_is_seen_by_the_next_query()
    {
        var id = Guid.NewGuid().ToString();
        var name = "Cache probe " + id[..8];
        await NamesFromApiAsync();
        (await fx.GraphQLAsync("mutation($id: uuid!, $name: String!) { insert_categories_one(object: {id: $id, name: $name}) { id } }",
            new { id, name })).Data();
        try { Assert.Equal(await NamesFromSqlAsync(), await NamesFromApiAsync()); }
        finally
        {
            (await fx.GraphQLAsync("mutation($id: uuid!) { delete_categories_by_pk(id: $id) { id } }", new { id })).Data();
        }
        var afterDelete = await NamesFromApiAsync();
        Assert.DoesNotContain(name, afterDelete);
        Assert.Equal(await NamesFromSqlAsync(), afterDelete);
    }

    [Fact]
    public async Task Each_root_field_of_a_request_is_kept_and_expires_on_its_own_snapshot()
    {
        const string twoRoots = "query CacheTwoRoots { categories(order_by: {name: asc}) { name } newest: phenom_reports(order_by: {id: desc}, limit: 1) { id } }";
        var newestId = await fx.ScalarAsync<string>("SELECT id::text FROM phenom_reports ORDER BY id DESC LIMIT 1");
        for (var i = 0; i < 2; i++)
        {
            var data = (await fx.GraphQLAsync(twoRoots)).Data();
            Assert.Equal(await NamesFromSqlAsync(), data["categories"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
            Assert.Equal(newestId, data["newest"]![0]!["id"]!.GetValue<string>());
        }
        var name = "Cache probe " + Guid.NewGuid().ToString("N")[..8];
        await fx.ScalarAsync<object>("INSERT INTO categories (id, name) VALUES (gen_random_uuid(), $1)", name);
        try
        {
            var data = (await fx.GraphQLAsync(twoRoots)).Data();
            Assert.Equal(await NamesFromSqlAsync(), data["categories"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
            Assert.Equal(newestId, data["newest"]![0]!["id"]!.GetValue<string>());
        }
        finally { await fx.ScalarAsync<object>("DELETE FROM categories WHERE name = $1", name); }
    }

    [Fact]
    public async Task With_the_cache_off_statements_go_out_as_compiled_and_answer_alike()
    {
        await using var host = fx.Factory.WithWebHostBuilder(b => b.UseSetting("PEREGRINE_RESULT_CACHE_MB", "0"));
        Assert.False(host.Services.GetRequiredService<ResultCache>().Enabled);
        const string feed = "query CacheOffFeed { phenom_reports(order_by: {timestamp: desc, id: asc}, limit: 5) { id user { id } media { id } categories { name } } }";
        var cached = (await fx.GraphQLAsync(feed)).Data().ToJsonString();

        using var capture = new SqlCapture(fx.DatabaseName);
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("x-hasura-admin-secret", PeregrineFixture.AdminSecret);
        client.DefaultRequestHeaders.Add("traceparent", $"00-{System.Diagnostics.Activity.Current!.TraceId}-{System.Diagnostics.Activity.Current.SpanId}-01");
        var uncached = (await fx.GraphQLAsync(feed, client: client)).Data();
        var sent = capture.Statements;

        Assert.Equal(cached, uncached.ToJsonString());
        var ids = uncached["phenom_reports"]!.AsArray().Select(r => r!["id"]!.GetValue<string>());
        Assert.Equal((await fx.ScalarAsync<string>(
            "SELECT string_agg(id::text, ',' ORDER BY timestamp DESC, id) FROM (SELECT id, timestamp FROM phenom_reports ORDER BY timestamp DESC, id LIMIT 5) s"))!.Split(','), ids);
        var statement = Assert.Single(sent);
        Assert.DoesNotContain("pg_current_snapshot", statement);
    }
}
