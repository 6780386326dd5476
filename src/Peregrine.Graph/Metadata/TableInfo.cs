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
    /// The columns the current role may name in any argument (where, order_by, distinct_on, stream
    /// cursors, aggregates, upserts): readable ones, minus those it sees only on some rows (a filter, a
    /// sort or a cursor on a user's email would tell what someone else's email is).
    /// </summary>
    public IEnumerable<ColumnInfo> FilterableColumns => Columns.Where(IsFilterable);

    /// <summary>True when the current role sees <paramref name="column"/> on every row it may read.</summary>
    public bool IsFilterable(ColumnInfo column) =>
        Access.Selects(column) && Access.Rules?.Select?.ColumnFilters.ContainsKey(column.Name) != true;

    public ColumnInfo? FindColumn(string name) => _columns.GetValueOrDefault(name);
    public RelationshipInfo? FindRelationship(string name) => _relationships.GetValueOrDefault(name);
    public ColumnInfo Column(string name) => _columns[name];
}
