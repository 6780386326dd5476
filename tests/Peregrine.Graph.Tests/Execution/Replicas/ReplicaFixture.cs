using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Execution.Replicas;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Execution.Replicas;

/// <summary>
/// The server with the streaming replica that <c>./peregrine services start</c> runs (PEREGRINE_PG_REPLICA_URL) as
/// its read replica, over the fixture's own database (created on the primary, replayed onto the replica). The
/// tests pause the replica's replay (<c>pg_wal_replay_pause()</c>) to make the two servers answer differently, so
/// where an answer came from is seen in the answer itself; the allowed lag is long, so a paused replica still
/// takes queries.
/// </summary>
public sealed class ReplicaFixture : PeregrineFixture, IAsyncLifetime
{
    private NpgsqlDataSource? _replica;

    public string ReplicaConnectionString { get; } = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(
        Environment.GetEnvironmentVariable("PEREGRINE_PG_REPLICA_URL")
        ?? throw new InvalidOperationException("PEREGRINE_PG_REPLICA_URL is not set: run the tests through ./peregrine test (services start makes the replica)")))
    { Database = null }.ConnectionString;

    /// <summary>Plain SQL on the replica, the fixture's database.</summary>
    public NpgsqlDataSource Replica => _replica!;

    public ReadReplicas Routes => Factory.Services.GetRequiredService<ReadReplicas>();

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("PEREGRINE_READ_REPLICA_URLS", ForDatabase(ReplicaConnectionString));
        builder.UseSetting("PEREGRINE_READ_REPLICA_CHECK_MS", "100");
        builder.UseSetting("PEREGRINE_READ_REPLICA_MAX_LAG_MS", "600000");
        builder.UseSetting("PEREGRINE_MUTATIONS_PER_SECOND", "0");
    }

    private string ForDatabase(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = DatabaseName }.ConnectionString;

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CaughtUpAsync();
        _replica = NpgsqlDataSource.Create(ForDatabase(ReplicaConnectionString));
        await WaitForAsync("the server to see the replica up", () => Task.FromResult(Routes.Nodes[0].Usable));
    }

    /// <summary>Waits until the replica has replayed everything the primary has written so far.</summary>
    public async Task CaughtUpAsync()
    {
        var target = await ScalarAsync<NpgsqlLogSequenceNumber>("SELECT pg_current_wal_insert_lsn()");
        await using var replica = NpgsqlDataSource.Create(ReplicaConnectionString);
        await WaitForAsync("the replica to catch up", async () =>
        {
            await using var cmd = replica.CreateCommand("SELECT pg_last_wal_replay_lsn() >= $1");
            cmd.Parameters.Add(new NpgsqlParameter { Value = target, NpgsqlDbType = NpgsqlDbType.PgLsn });
            return (bool)(await cmd.ExecuteScalarAsync())!;
        });
    }

    /// <summary>Stops replay on the replica (it keeps answering, with the data it has); <see cref="ResumeReplayAsync"/> undoes it.</summary>
    public async Task PauseReplayAsync()
    {
        await ReplicaScalarAsync<object>("SELECT pg_wal_replay_pause()");
        await WaitForAsync("replay to pause", async () => await ReplicaScalarAsync<string>("SELECT pg_get_wal_replay_pause_state()") == "paused");
    }

    public async Task ResumeReplayAsync()
    {
        await ReplicaScalarAsync<object>("SELECT pg_wal_replay_resume()");
        await CaughtUpAsync();
    }

    public async Task<T?> ReplicaScalarAsync<T>(string sql)
    {
        await using var cmd = Replica.CreateCommand(sql);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    public static async Task WaitForAsync(string what, Func<Task<bool>> done, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited {seconds} s for {what}");
            await Task.Delay(20);
        }
    }

    public override async Task DisposeAsync()
    {
        // Never leave the shared replica paused, whatever a test did.
        if (_replica is not null)
        {
            try { await ReplicaScalarAsync<object>("SELECT pg_wal_replay_resume()"); } catch (NpgsqlException) { }
            await _replica.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaFixture>
{
    public const string Name = "read replica";
}
