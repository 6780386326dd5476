using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Peregrine.Domain.Events;
using Peregrine.Graph.Execution.Results;
using Peregrine.Graph.Subscriptions;
using Peregrine.Graph.Tests.Infrastructure;
using Peregrine.Graph.Tests.WebSockets;

namespace Peregrine.Graph.Tests.Execution.Replicas;

/// <summary>
/// Reads go to the replica, writes to the primary, refreshes wait for the replica or go to the primary, and the
/// result cache never serves an answer the replica has moved past. With replay paused the replica holds older
/// data than the primary, so each answer shows which server gave it; every test also checks the primary directly,
/// so an answer that "lacks" a row is not a row that was never written.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class ReadReplicaRoutingTests(ReplicaFixture fx) : IAsyncLifetime
{
    private const string Query = "query ReplicaCategories { categories(order_by: {name: asc}) { name } }";

    public Task InitializeAsync() => Task.CompletedTask;

    // Each test leaves replay running and the replica caught up, whatever it asserted.
    public async Task DisposeAsync() => await fx.ResumeReplayAsync();

    private async Task<List<string>> NamesFromApiAsync() =>
        (await fx.GraphQLAsync(Query)).Data()["categories"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();

    private static string NewName() => "replica-" + Guid.NewGuid().ToString("N")[..10];

    private Task InsertOnPrimaryAsync(string name) =>
        fx.ScalarAsync<object>("INSERT INTO categories (id, name) VALUES (gen_random_uuid(), $1)", name);

    [Fact]
    public async Task A_query_is_answered_by_the_replica()
    {
        var node = fx.Routes.Nodes[0];
        var reads = node.Reads;
        await fx.PauseReplayAsync();
        var name = NewName();
        await InsertOnPrimaryAsync(name);
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM categories WHERE name = $1", name));

        // The primary has the row, the paused replica has not: an answer without it came from the replica.
        Assert.DoesNotContain(name, await NamesFromApiAsync());
        Assert.True(node.Reads > reads, "the replica counted no read");
        Assert.True(await fx.ReplicaScalarAsync<bool>("SELECT pg_is_in_recovery()"));

        await fx.ResumeReplayAsync();
        Assert.Contains(name, await NamesFromApiAsync());
    }

    [Fact]
    public async Task A_mutation_runs_on_the_primary_and_queries_see_it_once_replayed()
    {
        await fx.PauseReplayAsync();
        var name = NewName();
        // A standby refuses writes (read-only transaction): an answer with an id is the primary's.
        var inserted = await fx.GraphQLAsync("mutation ($n: String!) { insert_categories_one(object: {name: $n, icon: \"r\"}) { id name } }", new { n = name });
        Assert.Equal(name, (string?)inserted.Data()["insert_categories_one"]!["name"]);
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM categories WHERE name = $1", name));
        Assert.DoesNotContain(name, await NamesFromApiAsync());

        await fx.ResumeReplayAsync();
        await ReplicaFixture.WaitForAsync("the mutation to reach queries", async () => (await NamesFromApiAsync()).Contains(name), 10);
    }

    private async Task<WsClient> SubscribedAsync(string name)
    {
        await fx.Factory.Services.GetRequiredService<PostgresChangeListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var ws = await WsClient.ConnectAsync(fx, "graphql-transport-ws");
        await ws.SendAsync(new { type = "connection_init", payload = new { headers = new Dictionary<string, string> { ["x-hasura-admin-secret"] = PeregrineFixture.AdminSecret } } });
        Assert.Equal("connection_ack", (string?)(await ws.ReceiveAsync())!["type"]);
        await ws.SendAsync(new { id = "live", type = "subscribe", payload = new { query = "subscription ($n: String!) { categories(where: {name: {_eq: $n}}) { name } }", variables = new { n = name } } });
        Assert.Empty((await NextCategoriesAsync(ws)).AsArray());
        return ws;
    }

    [Fact]
    public async Task A_live_query_refresh_does_not_wait_for_a_paused_replica()
    {
        var name = NewName();
        await using var ws = await SubscribedAsync(name);

        await fx.PauseReplayAsync();
        await InsertOnPrimaryAsync(name);
        // The refresh cannot find the change on the replica (paused), so after the catch-up wait it reads the primary.
        var pushed = (await NextCategoriesAsync(ws)).AsArray();
        Assert.Equal(name, (string?)Assert.Single(pushed)!["name"]);
        Assert.DoesNotContain(name, await NamesFromApiAsync());
    }

    [Fact]
    public async Task Live_queries_refreshed_together_in_one_statement_do_not_wait_for_a_paused_replica_either()
    {
        var registry = fx.Factory.Services.GetRequiredService<LiveQueryRegistry>();
        var names = new[] { NewName(), NewName() };
        await using var first = await SubscribedAsync(names[0]);
        await using var second = await SubscribedAsync(names[1]);
        var multiplexed = registry.Stats.MultiplexedGroups;

        await fx.PauseReplayAsync();
        await fx.ScalarAsync<object>("INSERT INTO categories (id, name) SELECT gen_random_uuid(), unnest($1::text[])", (object)names);
        Assert.Equal(names[0], (string?)Assert.Single((await NextCategoriesAsync(first)).AsArray())!["name"]);
        Assert.Equal(names[1], (string?)Assert.Single((await NextCategoriesAsync(second)).AsArray())!["name"]);
        // Both groups went out in one multiplexed statement: the path this test is about.
        Assert.True(registry.Stats.MultiplexedGroups >= multiplexed + 2, "the refresh was not multiplexed");
    }

    private static async Task<JsonNode> NextCategoriesAsync(WsClient ws)
    {
        var m = (await ws.ReceiveAsync(TimeSpan.FromSeconds(10)))!;
        Assert.True((string?)m["type"] == "next", m.ToJsonString());
        return m["payload"]!["data"]!["categories"]!;
    }

    /// <summary>
    /// On a standby <c>pg_current_snapshot()</c> stays the same when a transaction in the middle of the running
    /// ones commits (its list of running transactions is left out), so a cache guarded by it serves the answer from
    /// before that commit. Three transactions open on the primary; the newest commits, its answer is kept; the middle
    /// one commits: the next answer must have its row.
    /// </summary>
    [Fact]
    public async Task A_cached_answer_from_the_replica_is_not_served_after_a_commit_replayed_there()
    {
        var cache = fx.Factory.Services.GetRequiredService<ResultCache>();
        var names = Enumerable.Range(0, 3).Select(_ => NewName()).ToArray();
        var transactions = new List<(NpgsqlConnection Connection, NpgsqlTransaction Tx)>();
        var committed = new bool[names.Length];
        var reads = fx.Routes.Nodes[0].Reads;
        try
        {
            foreach (var name in names)
            {
                var connection = await fx.DataSource.OpenConnectionAsync();
                var tx = await connection.BeginTransactionAsync();
                await using var insert = new NpgsqlCommand("INSERT INTO categories (id, name) VALUES (gen_random_uuid(), $1)", connection, tx);
                insert.Parameters.Add(new NpgsqlParameter { Value = name });
                await insert.ExecuteNonQueryAsync();
                transactions.Add((connection, tx));
            }
            await transactions[2].Tx.CommitAsync();
            committed[2] = true;
            await fx.CaughtUpAsync();

            // Kept and served from the cache (not vacuous: the cache does work on the replica). Other tests' writes
            // move the replica's position too (WAL is one stream for every database), and an answer is kept only
            // between two of them, so this may take a few tries on a busy machine.
            var hits = cache.Hits;
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (cache.Hits == hits && DateTime.UtcNow < deadline)
            {
                var seen = await NamesFromApiAsync();
                Assert.Contains(names[2], seen);
                Assert.DoesNotContain(names[1], seen);
            }
            Assert.True(cache.Hits > hits, "no answer came from the cache in 15 s");

            await transactions[1].Tx.CommitAsync();
            committed[1] = true;
            await fx.CaughtUpAsync();
            Assert.True((await NamesFromApiAsync()).Contains(names[1]), "a stale answer: the middle transaction's row is missing after its commit was replayed");
            // Every answer came from the replica, the guarded kind this test is about.
            Assert.True(fx.Routes.Nodes[0].Reads > reads, "the replica counted no read");
        }
        finally
        {
            for (var i = 0; i < transactions.Count; i++)
            {
                if (!committed[i]) await transactions[i].Tx.RollbackAsync();
                await transactions[i].Connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Healthz_lists_the_replica_up_with_its_lag()
    {
        using var client = fx.Factory.CreateClient();
        var body = JsonNode.Parse(await client.GetStringAsync("/healthz?verbose=1"))!;
        var replica = Assert.Single(body["replicas"]!.AsArray())!;
        Assert.Equal("up", (string?)replica["status"]);
        Assert.Equal(fx.Routes.Nodes[0].Name, (string?)replica["name"]);
        Assert.NotNull(replica["lag_ms"]);
        Assert.DoesNotContain("password", replica.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_carry_each_replica_up_and_its_reads()
    {
        await NamesFromApiAsync();
        using var client = fx.Factory.CreateClient();
        var text = await client.GetStringAsync("/metrics");
        var label = $"replica=\"{fx.Routes.Nodes[0].Name}\"";
        var up = text.Split('\n').SingleOrDefault(l => l.StartsWith("peregrine_read_replica_up{", StringComparison.Ordinal) && l.Contains(label));
        Assert.True(up is not null, "no peregrine_read_replica_up line for the replica");
        Assert.True(up!.EndsWith("} 1", StringComparison.Ordinal), up);
        var reads = text.Split('\n').Single(l => l.StartsWith("peregrine_read_replica_reads_total{", StringComparison.Ordinal) && l.Contains(label));
        Assert.True(long.Parse(reads.Split(' ')[1]) > 0, reads);
    }
}
