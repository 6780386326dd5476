using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Execution;

/// <summary>
/// Enough demo data that the nested many-to-many query is really heavy: with 2,000 reports its
/// innermost level has millions of candidate rows, seconds of work for PostgreSQL. Analysed after seeding so the
/// cost estimate reads real statistics.
/// </summary>
public sealed class HeavyDataFixture() : PeregrineFixture(Reports), IAsyncLifetime
{
    public const int Reports = 2_000;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await using var analyze = DataSource.CreateCommand("ANALYZE");
        await analyze.ExecuteNonQueryAsync();
    }
}

/// <summary>Runs alone: its queries keep PostgreSQL's cores busy for seconds, which would skew other collections' timings.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyDataCollection : ICollectionFixture<HeavyDataFixture>
{
    public const string Name = "heavy-data";
}
