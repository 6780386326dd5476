using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Metadata.Permissions;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Ir.Permissions;

/// <summary>
/// A role's rules for one request, with session variables filled in, as IR: row filters, limits,
/// column guards, presets and checks. Filters are built against the full catalog, since a rule may
/// follow relationships the role itself cannot query. Admin gets no rules at all.
/// </summary>
public sealed class RoleRules(CatalogMetadata catalog, Session session)
{
    private string? Lookup(string name) => session.Variables.GetValueOrDefault(name);

    private BoolExp? Exp(JsonObject? filter, TableInfo table, string path)
    {
        if (filter is null || filter.Count == 0) return null;
        var full = catalog.Full;
        return BoolExpBuilder.Build(SessionValues.Substitute(filter, Lookup)!.AsObject(), full.Table(table.Name), full, path);
    }

    public TablePermission Select(TableInfo table) => table.Access.Rules?.Select is { } rule
        ? new TablePermission(Exp(rule.Filter, table, "$.permission.filter"), rule.Limit)
        : TablePermission.Unrestricted;

    /// <summary>The filter a column is shown under, for columns the role may see on some rows only.</summary>
    public BoolExp? ColumnGuard(TableInfo table, ColumnInfo column) =>
        table.Access.Rules?.Select?.ColumnFilters.TryGetValue(column.Name, out var f) == true ? Exp(f, table, "$.permission.column_filter") : null;

    public IReadOnlyList<(ColumnInfo Column, JsonNode? Value)> InsertPresets(TableInfo table) =>
        Presets(table, table.Access.Rules?.Insert?.Set);

    public IReadOnlyList<(ColumnInfo Column, JsonNode? Value)> UpdatePresets(TableInfo table) =>
        Presets(table, table.Access.Rules?.Update?.Set);

    public BoolExp? InsertCheck(TableInfo table) => Exp(table.Access.Rules?.Insert?.Check, table, "$.permission.check");
    public BoolExp? UpdateFilter(TableInfo table) => Exp(table.Access.Rules?.Update?.Filter, table, "$.permission.filter");
    public BoolExp? UpdateCheck(TableInfo table) => Exp(table.Access.Rules?.Update?.Check, table, "$.permission.check");
    public BoolExp? DeleteFilter(TableInfo table) => Exp(table.Access.Rules?.Delete?.Filter, table, "$.permission.filter");

    private List<(ColumnInfo, JsonNode?)> Presets(TableInfo table, IReadOnlyDictionary<string, JsonNode?>? set) =>
        (set ?? new Dictionary<string, JsonNode?>())
            .Select(p => (table.Column(p.Key), SessionValues.Substitute(p.Value, Lookup)))
            .ToList();

    public static BoolExp? And(BoolExp? a, BoolExp? b) => a is null ? b : b is null ? a : new AndExp([a, b]);
}
