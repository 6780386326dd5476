using Microsoft.Extensions.Configuration;
using Npgsql;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Tests.Configuration;

public sealed class ReadReplicaUrlsTests
{
    private static PeregrineOptions Options(string? replicas) => PeregrineOptions.FromConfiguration(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PEREGRINE_DATABASE_URL"] = "postgres://u:p@primary:5432/db",
            ["PEREGRINE_READ_REPLICA_URLS"] = replicas,
        }).Build());

    [Fact]
    public void None_by_default()
    {
        Assert.Empty(Options(null).ReadReplicaConnectionStrings);
        Assert.Empty(Options("").ReadReplicaConnectionStrings);
    }

    [Fact]
    public void Urls_and_connection_strings_each_become_one_replica_and_a_multi_host_string_stays_whole()
    {
        var list = Options("postgres://u:p@r1:5433/db, Host=r2,r3;Port=5434;Database=db;Username=u,postgresql://u:p@r4/db").ReadReplicaConnectionStrings;
        var hosts = list.Select(c => new NpgsqlConnectionStringBuilder(c)).Select(b => (b.Host, b.Port)).ToList();
        Assert.Equal([("r1", 5433), ("r2,r3", 5434), ("r4", 5432)], hosts);
        // Built as the primary's are: the same defaults.
        Assert.All(list, c => Assert.Equal("peregrine", new NpgsqlConnectionStringBuilder(c).ApplicationName));
    }

    [Fact]
    public void A_bad_entry_stops_start_up_without_showing_the_password()
    {
        var e = Assert.Throws<InvalidSettingException>(() => Options("postgres://u:hunter2@r1/db,Host=r2;Nonsense=1"));
        Assert.StartsWith("invalid setting PEREGRINE_READ_REPLICA_URLS=", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }
}
