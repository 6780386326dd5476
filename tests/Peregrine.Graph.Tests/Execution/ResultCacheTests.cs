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
        Assert.Equal(expected, await NamesFromApiAsync());
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
}
