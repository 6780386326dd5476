using Npgsql;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Admission;
using Peregrine.Graph.Execution.Results;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Execution;

/// <summary>
/// Concurrent identical reads run one statement. PostgreSQL itself counts the runs: the statement draws from a
/// sequence (nextval is volatile, so every execution advances it, whatever the runner believes it sent).
/// </summary>
[Collection(PeregrineCollection.Name)]
public sealed class SingleFlightTests(PeregrineFixture fx)
{
    private async Task<string> NewSequenceAsync()
    {
        var name = "single_flight_" + Guid.NewGuid().ToString("N")[..10];
        await using var cmd = fx.DataSource.CreateCommand($"CREATE SEQUENCE {name}");
        await cmd.ExecuteNonQueryAsync();
        return name;
    }

    private async Task<long> RunsAsync(string sequence)
    {
        // is_called is false until the first nextval: then no run happened.
        await using var cmd = fx.DataSource.CreateCommand($"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static SqlRunner Runner(NpgsqlDataSource source, long cacheBytes) =>
        new(source, new ResultCache(cacheBytes), new HeavyQueryLane(source, 2),
            new Graph.Execution.Replicas.ReadReplicas(new Graph.Configuration.PeregrineOptions { DatabaseConnectionString = source.ConnectionString },
                source, Microsoft.Extensions.Logging.Abstractions.NullLogger<Graph.Execution.Replicas.ReadReplicas>.Instance));

    // Slow enough (150 ms) that all requests overlap; the value is the run's number, so callers can tell runs apart.
    private static CompiledStatement Counting(string sequence, string tag) =>
        CompiledStatement.HandWritten($"SELECT json_build_object('run', nextval('{sequence}'), 'tag', $1::text, 'slept', pg_sleep(0.15)::text)", [tag]);

    private static async Task<string[]> BurstAsync(SqlRunner runner, Func<int, CompiledStatement> statement, int n)
    {
        var tasks = Enumerable.Range(0, n).Select(async i =>
            (await runner.QueryJsonAsync([statement(i)], QueryRun.Default, CancellationToken.None))[0].ToString()).ToArray();
        return await Task.WhenAll(tasks);
    }

    [Theory]
    [InlineData(0)]                 // result cache off: the engine alone
    [InlineData(16 * 1024 * 1024)]  // result cache on and cold: every request a miss behind the snapshot guard
    public async Task Twenty_identical_concurrent_misses_run_one_statement(long cacheBytes)
    {
        var sequence = await NewSequenceAsync();
        // One connection, so the runner admits two batches at once: two slow other statements hold both places
        // while the twenty arrive, as a busy pool would. The twenty then wait before sending, where they meet.
        await using var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(fx.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);
        var runner = Runner(source, cacheBytes);
        var blockers = Enumerable.Range(0, 2).Select(i => runner.QueryJsonAsync(
            [CompiledStatement.HandWritten("SELECT json_build_object('blocker', $1::text, 'slept', pg_sleep(0.4)::text)", [i.ToString()])],
            QueryRun.Default, CancellationToken.None)).ToArray();
        var answers = await BurstAsync(runner, _ => Counting(sequence, "same"), 20);
        await Task.WhenAll(blockers);

        // Without single-flight: twenty runs.
        Assert.Equal(1, await RunsAsync(sequence));
        Assert.Single(answers.Distinct());
        Assert.All(answers, a => Assert.Contains("\"tag\" : \"same\"", a));
        Assert.Equal(19, runner.JoinedFlights);
    }

    [Fact]
    public async Task Different_parameters_do_not_share_an_answer()
    {
        var sequence = await NewSequenceAsync();
        var runner = Runner(fx.DataSource, 0);
        var answers = await BurstAsync(runner, i => Counting(sequence, "tag" + i), 10);

        Assert.Equal(10, await RunsAsync(sequence));
        Assert.Equal(10, answers.Distinct().Count());
        for (var i = 0; i < 10; i++) Assert.Contains($"\"tag\" : \"tag{i}\"", answers[i]);
        Assert.Equal(0, runner.JoinedFlights);
    }

    [Fact]
    public async Task A_request_arriving_after_the_statement_was_sent_runs_its_own()
    {
        // A flight closes when its statement is sent: a later request must see writes committed before it arrived.
        var sequence = await NewSequenceAsync();
        var runner = Runner(fx.DataSource, 0);
        var first = runner.QueryJsonAsync([Counting(sequence, "x")], QueryRun.Default, CancellationToken.None);
        // Wait until PostgreSQL is running the first one.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (await RunsAsync(sequence) == 0 && DateTime.UtcNow < deadline) await Task.Delay(5);
        var second = await runner.QueryJsonAsync([Counting(sequence, "x")], QueryRun.Default, CancellationToken.None);
        await first;

        Assert.Equal(2, await RunsAsync(sequence));
        Assert.NotEqual((await first)[0].ToString(), second[0].ToString());
    }
}
