namespace Peregrine.Graph.Metadata;

/// <summary>Everything the API exposes: the tables with their columns and relationships.</summary>
public sealed class CatalogMetadata(IReadOnlyList<TableInfo> tables)
{
    private readonly Dictionary<string, TableInfo> _byName = tables.ToDictionary(t => t.Name);

    public IReadOnlyList<TableInfo> Tables { get; } = tables;
    public TableInfo Table(string name) => _byName[name];
    public TableInfo? FindTable(string name) => _byName.GetValueOrDefault(name);
}
