namespace Peregrine.Graph.Tests.Infrastructure;

/// <summary>A database of its own for snapshot tests, so other tests' writes never reach a snapshot.</summary>
[CollectionDefinition(Name)]
public sealed class SnapshotCollection : ICollectionFixture<PeregrineFixture>
{
    public const string Name = "snapshots";
}
