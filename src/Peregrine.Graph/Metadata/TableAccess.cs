using Peregrine.Graph.Metadata.Permissions;

namespace Peregrine.Graph.Metadata;

/// <summary>
/// What one role may do with a table, as the schema generator needs it: which operations, on which
/// columns. <see cref="Rules"/> (null for admin) carries the row filters, checks and presets the
/// compiler folds into SQL.
/// </summary>
public sealed record TableAccess(
    bool CanSelect, IReadOnlySet<string> SelectColumns, bool AllowAggregations,
    bool CanInsert, IReadOnlySet<string> InsertColumns,
    bool CanUpdate, IReadOnlySet<string> UpdateColumns,
    bool CanDelete, RolePermissions? Rules)
{
    public static TableAccess Full(IEnumerable<ColumnInfo> columns)
    {
        var all = columns.Select(c => c.Name).ToHashSet();
        return new TableAccess(true, all, true, true, all, true, all, true, null);
    }

    public static TableAccess From(RolePermissions rules) => new(
        rules.Select is not null, (rules.Select?.Columns ?? []).ToHashSet(), rules.Select?.AllowAggregations ?? false,
        rules.Insert is not null, (rules.Insert?.Columns ?? []).ToHashSet(),
        rules.Update is not null, (rules.Update?.Columns ?? []).ToHashSet(),
        rules.Delete is not null, rules);

    public bool Selects(ColumnInfo column) => CanSelect && SelectColumns.Contains(column.Name);
}
