using Peregrine.Graph.Metadata;
using Peregrine.Graph.Metadata.Permissions;
using static Peregrine.Graph.Tests.Permissions.Generated.GraphQLText;

namespace Peregrine.Graph.Tests.Permissions.Generated;

/// <summary>
/// One attempt to name a hidden column (or a relationship to a table the role cannot read) in one
/// argument position. The role must get a validation error. <see cref="AdminControl"/>: the same text
/// sent as admin must pass validation (the probe is well formed, so the role's error is the permission's
/// doing). <see cref="RoleControl"/>: the same shape with a column the role may use, which must pass too.
/// </summary>
public sealed record ArgumentProbe(string Role, string Table, string Column, string Position, string Query, bool OverWebSocket)
{
    public bool AdminControl { get; init; } = true;
    public string? RoleControl { get; init; }
    public override string ToString() => $"{Role} {Table}.{Column} in {Position}";
}

/// <summary>
/// Generates the probes from the metadata and the permissions file, not from a list: every role, every
/// table, every column the role does not see on every row (not in its select columns, or only on some rows
/// through a column filter), in every argument position; and every relationship into a table the role
/// cannot read. A table, column or relationship added later is covered without touching the tests.
/// What the role may see is read from the permission rules themselves, not from the server's schema code.
/// </summary>
public static class ArgumentProbes
{
    private static readonly HashSet<string> Ordered = ["Int", "bigint", "smallint", "Float", "float4", "numeric", "String", "timestamptz", "timestamp", "date"];
    private static readonly HashSet<string> Unordered = ["jsonb", "json", "geography", "geometry"];

    /// <summary>The columns of <paramref name="table"/> the role sees on every row, from its select rule.</summary>
    public static HashSet<string> Visible(PermissionSet permissions, string role, TableInfo table)
    {
        var select = permissions.For(table.Name, role)?.Select;
        if (select is null) return [];
        return select.Columns.Where(c => !select.ColumnFilters.ContainsKey(c)).ToHashSet();
    }

    public static bool Reads(PermissionSet permissions, string role, string table) => permissions.For(table, role)?.Select is not null;

    public static IEnumerable<ArgumentProbe> Generate(CatalogMetadata catalog, PermissionSet permissions, IEnumerable<string> roles)
    {
        foreach (var role in roles)
            foreach (var table in catalog.Tables)
            {
                var visible = Visible(permissions, role, table);
                var reads = Reads(permissions, role, table.Name);
                var rules = permissions.For(table.Name, role);
                var selectable = (rules?.Select?.Columns ?? []).ToHashSet();
                foreach (var column in table.Columns.Where(c => !visible.Contains(c.Name)))
                {
                    foreach (var p in ColumnProbes(catalog, table, column, role, reads, visible, rules, selectable)) yield return p;
                    foreach (var p in RelationshipColumnProbes(catalog, permissions, table, column, role, visible)) yield return p;
                }
                foreach (var p in HiddenTableProbes(catalog, permissions, table, role)) yield return p;
            }
    }

    private static IEnumerable<ArgumentProbe> ColumnProbes(CatalogMetadata catalog, TableInfo table, ColumnInfo column, string role,
        bool reads, HashSet<string> visible, RolePermissions? rules, HashSet<string> selectable)
    {
        var t = table.Name;
        var c = column.Name;
        ArgumentProbe Probe(string position, Func<string, string> query, Func<ColumnInfo, bool>? controlFits = null, bool ws = false)
        {
            var control = reads ? table.Columns.FirstOrDefault(x => visible.Contains(x.Name) && (controlFits?.Invoke(x) ?? true)) : null;
            return new ArgumentProbe(role, t, c, position, query(c), ws) { RoleControl = control is null ? null : query(control.Name) };
        }
        string Lit(string name) => Lowest(table.Column(name).Scalar);

        yield return Probe("where", x => $"{{ {t}(where: {{{x}: {{_is_null: false}}}}) {{ __typename }} }}");
        yield return Probe("order_by", x => $"{{ {t}(order_by: {{{x}: asc}}) {{ __typename }} }}", x => !Unordered.Contains(x.Scalar));
        yield return Probe("distinct_on", x => $"{{ {t}(distinct_on: [{x}], limit: 1) {{ __typename }} }}");
        if (!Unordered.Contains(column.Scalar))
            yield return Probe("stream cursor", x => $"subscription {{ {t}_stream(batch_size: 1, cursor: {{initial_value: {{{x}: {Lit(x)}}}, ordering: ASC}}) {{ __typename }} }}",
                x => !Unordered.Contains(x.Scalar), ws: true);

        var aggregates = rules?.Select?.AllowAggregations == true;
        ArgumentProbe Aggregate(string position, Func<string, string> query, Func<ColumnInfo, bool>? fits = null) =>
            aggregates ? Probe(position, query, fits) : Probe(position, query) with { RoleControl = null };
        yield return Aggregate("aggregate count columns", x => $"{{ {t}_aggregate {{ aggregate {{ count(columns: [{x}], distinct: true) }} }} }}");
        if (Ordered.Contains(column.Scalar))
            yield return Aggregate("aggregate max", x => $"{{ {t}_aggregate {{ aggregate {{ max {{ {x} }} }} }} }}", x => Ordered.Contains(x.Scalar));
        if (catalog.H3Columns(t) is { } h3)
            yield return Probe("hex bins where", x => $"{{ {h3.HexBinsField}(resolution: 3, where: {{{x}: {{_is_null: false}}}}) {{ count }} }}");

        // Mutations: never write. Inserts carry no rows, deletes and updates match none (_not: {} is false).
        var inserts = rules?.Insert is not null;
        ArgumentProbe Mutation(string position, string query, string? control) =>
            new(role, t, c, position, query, false) { RoleControl = control };
        if (!(rules?.Insert?.Columns.Contains(c) ?? false))
            yield return Mutation("insert input", $"mutation {{ insert_{t}(objects: [{{{c}: {Lit(c)}}}]) {{ affected_rows }} }}", null)
                with { AdminControl = false };
        foreach (var u in table.UniqueConstraints.Where(u => u.Columns.Contains(c)))
        {
            var fine = table.UniqueConstraints.FirstOrDefault(k => k.Columns.All(visible.Contains));
            yield return Mutation("on_conflict constraint", $"mutation {{ insert_{t}(objects: [], on_conflict: {{constraint: {u.Name}, update_columns: []}}) {{ affected_rows }} }}",
                inserts && fine is not null ? $"mutation {{ insert_{t}(objects: [], on_conflict: {{constraint: {fine.Name}, update_columns: []}}) {{ affected_rows }} }}" : null);
        }
        if (table.UniqueConstraints.Count > 0)
        {
            var constraint = table.UniqueConstraints.FirstOrDefault(k => k.Columns.All(visible.Contains)) ?? table.UniqueConstraints[0];
            yield return Mutation("on_conflict update_columns",
                $"mutation {{ insert_{t}(objects: [], on_conflict: {{constraint: {constraint.Name}, update_columns: [{c}]}}) {{ affected_rows }} }}", null);
        }
        if (!selectable.Contains(c))
        {
            var control = table.Columns.FirstOrDefault(x => visible.Contains(x.Name));
            yield return Mutation("insert returning", $"mutation {{ insert_{t}(objects: []) {{ returning {{ {c} }} }} }}",
                inserts && reads && control is not null ? $"mutation {{ insert_{t}(objects: []) {{ returning {{ {control.Name} }} }} }}" : null);
            yield return Mutation("delete returning", $"mutation {{ delete_{t}(where: {{_not: {{}}}}) {{ returning {{ {c} }} }} }}",
                rules?.Delete is not null && control is not null ? $"mutation {{ delete_{t}(where: {{_not: {{}}}}) {{ returning {{ {control.Name} }} }} }}" : null);
        }
        yield return Mutation("delete where", $"mutation {{ delete_{t}(where: {{_and: [{{_not: {{}}}}, {{{c}: {{_is_null: false}}}}]}}) {{ affected_rows }} }}", null);
        var updatable = table.Columns.FirstOrDefault(x => rules?.Update?.Columns.Contains(x.Name) == true) ?? table.Columns[0];
        yield return Mutation("update where",
            $"mutation {{ update_{t}(where: {{_and: [{{_not: {{}}}}, {{{c}: {{_is_null: false}}}}]}}, _set: {{{updatable.Name}: {Lit(updatable.Name)}}}) {{ affected_rows }} }}", null);
    }

    // The hidden column named at the far end of every relationship into its table.
    private static IEnumerable<ArgumentProbe> RelationshipColumnProbes(CatalogMetadata catalog, PermissionSet permissions, TableInfo table, ColumnInfo column,
        string role, HashSet<string> visible)
    {
        var c = column.Name;
        foreach (var parent in catalog.Tables)
            foreach (var rel in parent.Relationships.Where(r => r.RemoteTable == table.Name))
            {
                var p = parent.Name;
                var reachable = Reads(permissions, role, p) && Reads(permissions, role, table.Name);
                var aggregates = reachable && permissions.For(table.Name, role)?.Select?.AllowAggregations == true;
                ArgumentProbe Probe(string position, Func<string, string> query, bool controlled, Func<ColumnInfo, bool>? fits = null)
                {
                    var control = controlled ? table.Columns.FirstOrDefault(x => visible.Contains(x.Name) && (fits?.Invoke(x) ?? true)) : null;
                    return new ArgumentProbe(role, table.Name, c, $"{position} from {p}.{rel.Name}", query(c), false)
                        { RoleControl = control is null ? null : query(control.Name) };
                }
                yield return Probe("relationship where", x => $"{{ {p}(where: {{{rel.Name}: {{{x}: {{_is_null: false}}}}}}) {{ __typename }} }}", reachable);
                // Nested inserts take the far table's insert input: a column the role may not insert is not in it.
                if (permissions.For(table.Name, role)?.Insert?.Columns.Contains(c) != true)
                {
                    var data = rel.Kind == RelationshipKind.Object ? $"{{{c}: {Lowest(column.Scalar)}}}" : $"[{{{c}: {Lowest(column.Scalar)}}}]";
                    yield return new ArgumentProbe(role, table.Name, c, $"nested insert input from {p}.{rel.Name}",
                        $"mutation {{ insert_{p}(objects: [{{{rel.Name}: {{data: {data}}}}}]) {{ affected_rows }} }}", false) { AdminControl = false };
                }
                if (rel.Kind == RelationshipKind.Object)
                {
                    yield return Probe("relationship order_by", x => $"{{ {p}(order_by: {{{rel.Name}: {{{x}: asc}}}}) {{ __typename }} }}", reachable,
                        x => !Unordered.Contains(x.Scalar));
                    continue;
                }
                yield return Probe("aggregate where arguments",
                    x => $"{{ {p}(where: {{{rel.Name}_aggregate: {{count: {{arguments: [{x}], distinct: true, predicate: {{_gt: 0}}}}}}}}) {{ __typename }} }}", aggregates);
                yield return Probe("aggregate where filter",
                    x => $"{{ {p}(where: {{{rel.Name}_aggregate: {{count: {{filter: {{{x}: {{_is_null: false}}}}, predicate: {{_gt: 0}}}}}}}}) {{ __typename }} }}", aggregates);
                if (Ordered.Contains(column.Scalar))
                    yield return Probe("aggregate order_by",
                        x => $"{{ {p}(order_by: {{{rel.Name}_aggregate: {{max: {{{x}: asc}}}}}}) {{ __typename }} }}", aggregates, x => Ordered.Contains(x.Scalar));
            }
    }

    // A relationship into a table the role cannot read is not in its schema at all, in any position.
    private static IEnumerable<ArgumentProbe> HiddenTableProbes(CatalogMetadata catalog, PermissionSet permissions, TableInfo table, string role)
    {
        if (Reads(permissions, role, table.Name)) yield break;
        var pk = table.PrimaryKey[0];
        foreach (var parent in catalog.Tables.Where(p => Reads(permissions, role, p.Name)))
            foreach (var rel in parent.Relationships.Where(r => r.RemoteTable == table.Name))
            {
                var p = parent.Name;
                ArgumentProbe Probe(string position, string query) => new(role, table.Name, "*", $"{position} from {p}.{rel.Name}", query, false)
                    { RoleControl = $"{{ {p}(limit: 1) {{ __typename }} }}" };
                yield return Probe("relationship where", $"{{ {p}(where: {{{rel.Name}: {{}}}}) {{ __typename }} }}");
                yield return Probe("relationship selection", $"{{ {p}(limit: 1) {{ {rel.Name} {{ __typename }} }} }}");
                if (rel.Kind == RelationshipKind.Object)
                {
                    yield return Probe("relationship order_by", $"{{ {p}(order_by: {{{rel.Name}: {{{pk}: asc}}}}) {{ __typename }} }}");
                    continue;
                }
                yield return Probe("aggregate where", $"{{ {p}(where: {{{rel.Name}_aggregate: {{count: {{predicate: {{_gt: 0}}}}}}}}) {{ __typename }} }}");
                yield return Probe("aggregate order_by", $"{{ {p}(order_by: {{{rel.Name}_aggregate: {{count: desc}}}}) {{ __typename }} }}");
                yield return Probe("aggregate selection", $"{{ {p}(limit: 1) {{ {rel.Name}_aggregate {{ aggregate {{ count }} }} }} }}");
            }
    }
}
