namespace Peregrine.Graph.Schema;

public enum RootFieldKind { Select, SelectByPk, SelectAggregate, Search, HexBins, Insert, InsertOne, Update, UpdateByPk, UpdateMany, Delete, DeleteByPk,
    DeviceCredentialsCreate, DeviceCredentialsRevoke,
    SensorReadings, SensorSeries, SensorReadingsInsert, SensorReadingsLive }

/// <summary>What a root field of the generated schema does, and to which table.</summary>
public sealed record RootField(string Name, RootFieldKind Kind, string Table)
{
    /// <summary>For <see cref="RootFieldKind.Search"/>: what the search matches.</summary>
    public Metadata.SearchFunctionInfo? Search { get; init; }

    /// <summary>For <see cref="RootFieldKind.HexBins"/>: the table's H3 columns.</summary>
    public Metadata.H3ColumnsInfo? H3 { get; init; }
}
