namespace Peregrine.Graph.Metadata;

/// <summary>Everything the API exposes: the tables with their columns and relationships.</summary>
public sealed class CatalogMetadata
{
    private readonly Dictionary<string, TableInfo> _byName;

    public CatalogMetadata(IReadOnlyList<TableInfo> tables, IReadOnlyList<SearchFunctionInfo>? searches = null,
        IReadOnlyList<H3ColumnsInfo>? h3 = null)
    {
        Tables = tables;
        Full = this;
        _byName = tables.ToDictionary(t => t.Name);
        Searches = (searches ?? []).Where(Valid).ToList();
        foreach (var info in h3 ?? [])
        {
            var table = FindTable(info.Table) ?? throw new InvalidOperationException($"H3 columns: no table {info.Table}");
            foreach (var c in new[] { info.LocationColumn, info.IndexColumn, info.ResolutionColumn, info.Cell15Column })
                if (table.FindColumn(c) is null) throw new InvalidOperationException($"H3 columns: no column {info.Table}.{c}");
            _h3[info.Table] = info;
        }
    }

    private readonly Dictionary<string, H3ColumnsInfo> _h3 = new();

    /// <summary>
    /// The catalog as <paramref name="role"/> sees it: only tables it has a rule for, each with its
    /// <see cref="TableAccess"/>, and only relationships to tables it may read.
    /// </summary>
    public CatalogMetadata ForRole(Permissions.PermissionSet permissions, string role)
    {
        var visible = Tables
            .Select(t => (Table: t, Rules: permissions.For(t.Name, role)))
            .Where(x => x.Rules is not null)
            .ToDictionary(x => x.Table.Name, x => TableAccess.From(x.Rules!));
        // A many-to-many relationship also walks its bridge's rows, which carry no row filter of their own in
        // the SQL: offer it only when the role reads the bridge unfiltered, so no hidden link can be followed.
        bool BridgeOpen(RelationshipInfo r) => r.Bridge is null || permissions.For(r.Bridge, role)?.Select is { Filter.Count: 0 };
        var tables = Tables.Where(t => visible.ContainsKey(t.Name)).Select(t =>
            new TableInfo(t.Name, t.Columns, t.PrimaryKey, t.UniqueConstraints,
                t.Relationships.Where(r => visible.TryGetValue(r.RemoteTable, out var a) && a.CanSelect && BridgeOpen(r)).ToList())
            { Access = visible[t.Name] }).ToList();
        var readable = tables.Where(t => t.Access.CanSelect).Select(t => t.Name).ToHashSet();
        var byName = tables.ToDictionary(t => t.Name);
        // A search filters and ranks by its text columns, so the role must read them on every row.
        bool Searchable(SearchFunctionInfo s)
        {
            if (!readable.Contains(s.Table)) return false;
            var table = byName[s.Table];
            if (!table.IsFilterable(table.Column(s.Column))) return false;
            if (s.Relationship is null) return true;
            if (table.FindRelationship(s.Relationship) is not { } rel) return false;
            var remote = byName[rel.RemoteTable];
            return remote.IsFilterable(remote.Column(s.RelatedColumn!));
        }
        return new CatalogMetadata(tables,
            Searches.Where(Searchable).ToList(),
            _h3.Values.Where(h => readable.Contains(h.Table)).ToList()) { Full = this };
    }

    /// <summary>The H3 columns of <paramref name="table"/>, if the server maintains any.</summary>
    public H3ColumnsInfo? H3Columns(string table) => _h3.GetValueOrDefault(table);

    public IEnumerable<H3ColumnsInfo> AllH3Columns => _h3.Values;

    public IReadOnlyList<TableInfo> Tables { get; }

    /// <summary>The unfiltered catalog a role's view was made from (itself for admin): permission filters are built against it.</summary>
    public CatalogMetadata Full { get; private init; } = null!;
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
