using System.Text.Json.Nodes;
using Peregrine.Domain.Events;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// What a live query reads, table by table, so that a change event re-runs only the queries it can
/// affect. A table not read at all: never. An update whose written columns the query neither selects,
/// filters, orders nor joins on: never. A row written in a table the query reads only at its root: only
/// when the row, before or after the write, may pass the root's filter (<see cref="RowFilter"/>).
/// Anything the analysis does not understand makes the query watch everything.
/// </summary>
public sealed class LiveQueryWatch
{
    public static readonly LiveQueryWatch Everything = new(null);

    private readonly Dictionary<string, TableWatch>? _tables;

    private LiveQueryWatch(Dictionary<string, TableWatch>? tables) => _tables = tables;

    public IEnumerable<string>? Tables => _tables?.Keys;

    public bool MayAffect(ChangeEvent e)
    {
        if (_tables is null) return true;
        if (!_tables.TryGetValue(e.Table, out var watch)) return false;
        if (e.Operation == ChangeOperation.Truncate) return true;
        if (e.Operation == ChangeOperation.Update && !e.Columns.Any(watch.Columns.Contains)) return false;
        if (watch.ReadNested || e.Row is not { } row) return true;
        foreach (var filter in watch.RootFilters)
        {
            if (RowFilter.Evaluate(filter, c => Lookup(row, c)) != false) return true;
            if (e.Operation == ChangeOperation.Update && RowFilter.Evaluate(filter, c => OldLookup(e, row, c)) != false) return true;
        }
        return false;
    }

    private static (bool, JsonNode?) Lookup(JsonObject row, string column) =>
        row.TryGetPropertyValue(column, out var v) ? (true, v) : (false, null);

    private static (bool, JsonNode?) OldLookup(ChangeEvent e, JsonObject row, string column) =>
        e.Old is not null && e.Old.TryGetPropertyValue(column, out var v) ? (true, v) : Lookup(row, column);

    /// <summary>The watch of the root selections of one operation.</summary>
    public static LiveQueryWatch FromRoots(IEnumerable<object> roots, CatalogMetadata catalog)
    {
        var builder = new Builder(catalog);
        foreach (var root in roots)
        {
            switch (root)
            {
                case SelectIr select: builder.Root(select); break;
                case AggregateSelectIr aggregate: builder.Root(aggregate); break;
                case HexBinsIr bins: builder.Root(bins); break;
                default: return Everything;
            }
        }
        return builder.Unknown ? Everything : new LiveQueryWatch(builder.Tables);
    }

    private sealed class TableWatch
    {
        public readonly HashSet<string> Columns = new(StringComparer.Ordinal);
        public readonly List<BoolExp?> RootFilters = [];
        public bool ReadNested;
    }

    private sealed class Builder(CatalogMetadata catalog)
    {
        public readonly Dictionary<string, TableWatch> Tables = new(StringComparer.Ordinal);
        public bool Unknown;

        private TableWatch Table(string name)
        {
            if (!Tables.TryGetValue(name, out var t)) Tables[name] = t = new TableWatch();
            return t;
        }

        public void Root(SelectIr select)
        {
            Table(select.Table.Name).RootFilters.Add(Combine(select.Args.Where, select.Permission.Filter));
            Select(select);
        }

        public void Root(AggregateSelectIr select)
        {
            Table(select.Table.Name).RootFilters.Add(Combine(select.Args.Where, select.Permission.Filter));
            Aggregate(select);
        }

        // A bin counts the rows passing its filter by their stored cell: a row matters when it passes the
        // filter before or after the write, and an update only when it writes the cell or a filtered column.
        public void Root(HexBinsIr bins)
        {
            var watch = Table(bins.Table.Name);
            watch.RootFilters.Add(Combine(bins.Where, bins.Permission.Filter));
            watch.Columns.Add(bins.H3.Cell15Column);
            Filter(bins.Table, bins.Where);
            Filter(bins.Table, bins.Permission.Filter);
        }

        private static BoolExp? Combine(BoolExp? where, BoolExp? permission) =>
            permission is null ? where : where is null ? permission : new AndExp([where, permission]);

        private void Aggregate(AggregateSelectIr select)
        {
            var table = select.Table;
            var watch = Table(table.Name);
            foreach (var field in select.Fields)
            {
                switch (field)
                {
                    case AggregateTypenameField: break;
                    case AggregateNodesField nodes: Fields(table, nodes.Fields); break;
                    case AggregateFieldsField outputs:
                        foreach (var o in outputs.Outputs)
                        {
                            switch (o)
                            {
                                case CountOutput c: foreach (var col in c.Columns) watch.Columns.Add(col.Name); break;
                                case FunctionOutput f: foreach (var col in f.Columns) if (col.Column is { } fc) watch.Columns.Add(fc.Name); break;
                                case AggregateOutputTypename: break;
                                default: Unknown = true; break;
                            }
                        }
                        break;
                    default: Unknown = true; break;
                }
            }
            Args(table, select.Args, select.Permission);
        }

        private void Nested(SelectIr select)
        {
            Table(select.Table.Name).ReadNested = true;
            Select(select);
        }

        private void Select(SelectIr select)
        {
            Fields(select.Table, select.Fields);
            Args(select.Table, select.Args, select.Permission);
        }

        private void Fields(TableInfo table, IReadOnlyList<SelectField> fields)
        {
            var watch = Table(table.Name);
            foreach (var pk in table.PrimaryKey) watch.Columns.Add(pk);
            foreach (var field in fields)
            {
                switch (field)
                {
                    case ColumnField c: watch.Columns.Add(c.Column.Name); break;
                    case TypenameField: break;
                    case ObjectRelationshipField o: Relationship(table, o.Relationship); Nested(o.Select); break;
                    case ArrayRelationshipField a: Relationship(table, a.Relationship); Nested(a.Select); break;
                    case ArrayAggregateField g:
                        Relationship(table, g.Relationship);
                        Table(g.Select.Table.Name).ReadNested = true;
                        Aggregate(g.Select);
                        break;
                    default: Unknown = true; break;
                }
            }
        }

        private void Args(TableInfo table, SelectArgs args, TablePermission permission)
        {
            var watch = Table(table.Name);
            Filter(table, args.Where);
            Filter(table, permission.Filter);
            foreach (var d in args.DistinctOn) watch.Columns.Add(d.Name);
            foreach (var item in args.OrderBy)
            {
                var at = table;
                for (var step = 0; step < item.Path.Count; step++)
                {
                    var rel = item.Path[step];
                    Relationship(at, rel);
                    at = catalog.Table(rel.RemoteTable);
                    Table(at.Name).ReadNested = true;
                    // The role's filter on the related table decides which row orders (a change to it reorders).
                    if (step < item.PathFilters.Count) Filter(catalog.Full.Table(at.Name), item.PathFilters[step]);
                }
                if (item.Aggregate is { } agg)
                {
                    Relationship(at, agg.Relationship);
                    if (agg.Column is { } c) Table(agg.Relationship.RemoteTable).Columns.Add(c.Name);
                    Filter(catalog.Full.Table(agg.Relationship.RemoteTable), agg.Filter);
                }
                else if (item.Column is { } column) Table(at.Name).Columns.Add(column.Name);
                else Unknown = true;
            }
        }

        private void Filter(TableInfo table, BoolExp? exp)
        {
            switch (exp)
            {
                case null or ConstantExp: break;
                case AndExp and: foreach (var i in and.Items) Filter(table, i); break;
                case OrExp or: foreach (var i in or.Items) Filter(table, i); break;
                case NotExp not: Filter(table, not.Inner); break;
                case ColumnCompareExp cmp: Table(table.Name).Columns.Add(cmp.Column.Name); break;
                case AggregateCountExp count:
                    Relationship(table, count.Relationship);
                    foreach (var c in count.Arguments) Table(count.Remote.Name).Columns.Add(c.Name);
                    Filter(count.Remote, count.Filter);
                    break;
                case RelationshipExp rel:
                    Relationship(table, rel.Relationship);
                    Table(rel.Remote.Name).ReadNested = true;
                    Filter(rel.Remote, rel.Inner);
                    break;
                default: Unknown = true; break;
            }
        }

        // The join columns on both sides, and the bridge table of a many-to-many relationship.
        private void Relationship(TableInfo local, RelationshipInfo rel)
        {
            foreach (var c in rel.LocalColumns) Table(local.Name).Columns.Add(c);
            var remote = Table(rel.RemoteTable);
            remote.ReadNested = true;
            foreach (var c in rel.RemoteColumns) remote.Columns.Add(c);
            if (rel.Bridge is null) return;
            var bridge = Table(rel.Bridge);
            bridge.ReadNested = true;
            foreach (var c in rel.BridgeLocalColumns ?? []) bridge.Columns.Add(c);
            foreach (var c in rel.BridgeRemoteColumns ?? []) bridge.Columns.Add(c);
        }
    }
}
