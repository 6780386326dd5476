using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Execution;

/// <summary>
/// A statement that outlives its role's time limit fails alone: PostgreSQL cancels it before Npgsql gives up,
/// so the multiplexed connection it shared stays healthy for the requests around it.
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class SlowStatementTests(PeregrineFixture fx)
{
    [Fact]
    public async Task A_timed_out_query_fails_alone_and_its_neighbours_answer()
    {
        await using var host = fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_DATABASE_URL", fx.ConnectionString + ";Command Timeout=3");
            b.UseSetting("PEREGRINE_ADMIN_QUERY_TIMEOUT_MS", "2000");
        });
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("x-hasura-admin-secret", PeregrineFixture.AdminSecret);

        // Hold a lock the slow query has to wait for, longer than the timeout.
        await using var blocker = await fx.DataSource.OpenConnectionAsync();
        await using var tx = await blocker.BeginTransactionAsync();
        await using (var lockCmd = new Npgsql.NpgsqlCommand("LOCK TABLE categories IN ACCESS EXCLUSIVE MODE", blocker, tx))
            await lockCmd.ExecuteNonQueryAsync();

        var slow = fx.GraphQLAsync("{ categories { name } }", client: client);
        var neighbours = Enumerable.Range(0, 20).Select(_ => fx.GraphQLAsync("{ users(limit: 1) { id } }", client: client)).ToList();
        foreach (var n in neighbours) Assert.Single((await n).Data()["users"]!.AsArray());

        var answer = await slow;
        Assert.Contains("statement timeout", answer["errors"]![0]!["message"]!.GetValue<string>());
        await tx.RollbackAsync();

        Assert.NotEmpty((await fx.GraphQLAsync("{ categories { name } }", client: client)).Data()["categories"]!.AsArray());
        Assert.Single((await fx.GraphQLAsync("{ users(limit: 1) { id } }", client: client)).Data()["users"]!.AsArray());
    }
}
