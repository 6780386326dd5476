namespace Peregrine.Graph.Metadata;

public sealed record TableInfo(
    string Name,
    IReadOnlyList<ColumnInfo> Columns,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<UniqueConstraintInfo> UniqueConstraints,
    IReadOnlyList<RelationshipInfo> Relationships)
{
    private readonly Dictionary<string, ColumnInfo> _columns = Columns.ToDictionary(c => c.Name);
    private readonly Dictionary<string, RelationshipInfo> _relationships = Relationships.ToDictionary(r => r.Name);

    /// <summary>What the current role may do with this table (everything, in the admin catalog).</summary>
    public TableAccess Access { get; init; } = TableAccess.Full(Columns);

    /// <summary>The columns the current role may read.</summary>
    public IEnumerable<ColumnInfo> SelectableColumns => Columns.Where(Access.Selects);

    /// <summary>
    /// The columns the current role may filter and sort by: readable ones, minus those it sees only on
    /// some rows (a filter on a user's email would tell whether someone else's email exists).
    /// </summary>
    public IEnumerable<ColumnInfo> FilterableColumns =>
        SelectableColumns.Where(c => Access.Rules?.Select?.ColumnFilters.ContainsKey(c.Name) != true);

    public ColumnInfo? FindColumn(string name) => _columns.GetValueOrDefault(name);
    public RelationshipInfo? FindRelationship(string name) => _relationships.GetValueOrDefault(name);
    public ColumnInfo Column(string name) => _columns[name];
}
