namespace Peregrine.Graph.Metadata;

/// <summary>Everything the API exposes: the tables with their columns and relationships.</summary>
public sealed class CatalogMetadata
{
    private readonly Dictionary<string, TableInfo> _byName;

    public CatalogMetadata(IReadOnlyList<TableInfo> tables, IReadOnlyList<SearchFunctionInfo>? searches = null)
    {
        Tables = tables;
        _byName = tables.ToDictionary(t => t.Name);
        Searches = (searches ?? []).Where(Valid).ToList();
    }

    public IReadOnlyList<TableInfo> Tables { get; }
    public IReadOnlyList<SearchFunctionInfo> Searches { get; }
    public TableInfo Table(string name) => _byName[name];
    public TableInfo? FindTable(string name) => _byName.GetValueOrDefault(name);

    // A declared search must name real columns: a stale declaration is a start-up error, not a 500 later.
    private bool Valid(SearchFunctionInfo s)
    {
        var table = FindTable(s.Table) ?? throw new InvalidOperationException($"search {s.Name}: no table {s.Table}");
        if (table.FindColumn(s.Column) is null) throw new InvalidOperationException($"search {s.Name}: no column {s.Table}.{s.Column}");
        if (s.Relationship is null) return true;
        var rel = table.FindRelationship(s.Relationship) ?? throw new InvalidOperationException($"search {s.Name}: no relationship {s.Relationship}");
        if (Table(rel.RemoteTable).FindColumn(s.RelatedColumn!) is null)
            throw new InvalidOperationException($"search {s.Name}: no column {rel.RemoteTable}.{s.RelatedColumn}");
        return true;
    }
}
