namespace Peregrine.Graph.Metadata;

/// <summary>
/// What a role may name in <c>on_conflict</c>. Whether an insert conflicts tells whether a row with those
/// values exists, so only constraints over columns the role reads on every row are offered; overwritten
/// columns must be ones it may both update and read. The schema and the IR both ask here.
/// </summary>
public static class Upserts
{
    public static bool Allows(TableInfo table, UniqueConstraintInfo constraint) =>
        constraint.Columns.All(c => table.FindColumn(c) is { } column && table.IsFilterable(column));

    public static bool Updates(TableInfo table, ColumnInfo column) =>
        table.Access.CanUpdate && table.Access.UpdateColumns.Contains(column.Name) && table.IsFilterable(column);

    public static IEnumerable<UniqueConstraintInfo> Constraints(TableInfo table) => table.UniqueConstraints.Where(u => Allows(table, u));
}
