using System.Text.Json.Nodes;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Ir;

/// <summary>
/// What PostgreSQL's statistics say about the tables: their rows (<c>pg_class.reltuples</c>) and, per
/// column, the number of distinct values (<c>pg_stats.n_distinct</c>: negative means a fraction of the rows).
/// </summary>
public sealed class TableStatistics(IReadOnlyDictionary<string, TableStatistics.Table> tables)
{
    // PostgreSQL's own guess when a column has no statistics yet (DEFAULT_NUM_DISTINCT in selfuncs.h).
    private const double DefaultDistinct = 200;

    public sealed record Table(double Rows, IReadOnlyDictionary<string, double> Distinct);

    public static readonly TableStatistics Empty = new(new Dictionary<string, Table>());

    public double Rows(string table) => tables.TryGetValue(table, out var t) ? t.Rows : 0;

    /// <summary>How many rows share one value of <paramref name="column"/> (at least one).</summary>
    public double RowsPerValue(string table, string column)
    {
        if (!tables.TryGetValue(table, out var t) || t.Rows <= 0) return 1;
        var distinct = t.Distinct.TryGetValue(column, out var d) ? (d < 0 ? -d * t.Rows : d) : Math.Min(DefaultDistinct, t.Rows);
        return Math.Max(1, t.Rows / Math.Max(1, distinct));
    }
}

/// <summary>
/// The estimated size of a query before it runs: <see cref="Nodes"/> is the rows it answers at every level
/// (a GitHub/Hasura-style node count: a list's rows, plus for each of them its relationship's rows, and so on
/// down), <see cref="Rows"/> adds the rows aggregates read without answering them.
/// </summary>
public readonly record struct QueryCost(double Nodes, double Rows)
{
    public static QueryCost operator +(QueryCost a, QueryCost b) => new(a.Nodes + b.Nodes, a.Rows + b.Rows);
}

/// <summary>
/// Estimates a root field's <see cref="QueryCost"/> from its IR: a level's rows are its parent's rows times the
/// rows per parent (the whole table at the root; rows per foreign-key value below it), narrowed by
/// equality filters on columns whose distinct values are known, and capped by the <c>limit</c> argument and
/// the permission's limit. Other filters are taken to keep every row: the estimate errs high.
/// </summary>
public static class QueryCostEstimator
{
    public static QueryCost Estimate(object rootIr, TableStatistics stats) => rootIr switch
    {
        SelectIr s => Level(s.Table, s.Fields, s.Args, s.Permission, 1, stats.Rows(s.Table.Name), stats),
        AggregateSelectIr a => Aggregate(a, 1, stats.Rows(a.Table.Name), stats),
        HexBinsIr h => new QueryCost(0, stats.Rows(h.Table.Name) * Fraction(h.Where, h.Table, stats)),
        _ => default
    };

    private static QueryCost Level(TableInfo table, IReadOnlyList<SelectField> fields, SelectArgs args, TablePermission permission,
        double parents, double perParent, TableStatistics stats)
    {
        var rows = parents * PerParent(table, args, permission, perParent, stats);
        var cost = new QueryCost(rows, rows);
        foreach (var field in fields) cost += Field(field, rows, stats);
        return cost;
    }

    private static QueryCost Field(SelectField field, double rows, TableStatistics stats) => field switch
    {
        ObjectRelationshipField o => Level(o.Select.Table, o.Select.Fields, o.Select.Args, o.Select.Permission, rows, 1, stats),
        ArrayRelationshipField a => Level(a.Select.Table, a.Select.Fields, a.Select.Args, a.Select.Permission, rows, Fanout(a.Relationship, stats), stats),
        ArrayAggregateField g => Aggregate(g.Select, rows, Fanout(g.Relationship, stats), stats),
        _ => default
    };

    // An aggregate reads its rows; it answers them only through nodes { }, and one summary per parent otherwise.
    private static QueryCost Aggregate(AggregateSelectIr a, double parents, double perParent, TableStatistics stats)
    {
        var rows = parents * PerParent(a.Table, a.Args, a.Permission, perParent, stats);
        var cost = new QueryCost(parents, rows);
        foreach (var nodes in a.Fields.OfType<AggregateNodesField>())
        {
            cost += new QueryCost(rows, 0);
            foreach (var field in nodes.Fields) cost += Field(field, rows, stats);
        }
        return cost;
    }

    private static double PerParent(TableInfo table, SelectArgs args, TablePermission permission, double perParent, TableStatistics stats)
    {
        var rows = perParent * Fraction(args.Where, table, stats) * Fraction(permission.Filter, table, stats);
        if (args.Limit is { } limit) rows = Math.Min(rows, limit);
        if (permission.Limit is { } permitted) rows = Math.Min(rows, permitted);
        return rows;
    }

    /// <summary>Rows of the remote table per row of the parent.</summary>
    private static double Fanout(RelationshipInfo r, TableStatistics stats) => r.Kind switch
    {
        RelationshipKind.Array => stats.RowsPerValue(r.RemoteTable, r.RemoteColumns[0]),
        RelationshipKind.ManyToMany => stats.RowsPerValue(r.Bridge!, r.BridgeLocalColumns![0]),
        _ => 1
    };

    /// <summary>The share of a table's rows a filter keeps.</summary>
    private static double Fraction(BoolExp? filter, TableInfo table, TableStatistics stats)
    {
        switch (filter)
        {
            case null:
                return 1;
            case ConstantExp c:
                return c.Value ? 1 : 0;
            case AndExp and:
                return and.Items.Count == 0 ? 1 : and.Items.Min(i => Fraction(i, table, stats));
            case OrExp or:
                return Math.Min(1, or.Items.Sum(i => Fraction(i, table, stats)));
            case ColumnCompareExp { Operator: "_eq", CastTo: null } eq when eq.Operand is not JsonObject:
                return Share(table, eq.Column, 1, stats);
            case ColumnCompareExp { Operator: "_in", Operand: JsonArray values, CastTo: null } @in:
                return Share(table, @in.Column, values.Count, stats);
            default:
                return 1;
        }
    }

    private static double Share(TableInfo table, ColumnInfo column, int values, TableStatistics stats)
    {
        var rows = stats.Rows(table.Name);
        if (rows <= 0) return 1;
        var unique = (column.IsPrimaryKey && table.PrimaryKey.Count == 1)
            || table.UniqueConstraints.Any(u => u.Columns.Count == 1 && u.Columns[0] == column.Name);
        var perValue = unique ? 1 : stats.RowsPerValue(table.Name, column.Name);
        return Math.Min(1, values * perValue / rows);
    }
}
