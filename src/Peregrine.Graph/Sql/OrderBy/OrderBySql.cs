using Peregrine.Graph.Ir;
using Peregrine.Graph.Sql.BoolExp;

namespace Peregrine.Graph.Sql.OrderBy;

/// <summary>
/// ORDER BY keys; a key through object relationships is a correlated single-row subquery. Each subquery
/// carries the role's row filter on the table it reads (folded into the IR), so a hidden related row
/// orders as NULL and an aggregate counts only the rows the role may read.
/// </summary>
public static class OrderBySql
{
    public static void WriteClause(SqlWriter w, IReadOnlyList<OrderByItem> items, string alias)
    {
        if (items.Count == 0) return;
        w.Append(" ORDER BY ");
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) w.Append(", ");
            WriteKey(w, items[i], alias);
            WriteDirection(w, items[i]);
        }
    }

    public static void WriteKey(SqlWriter w, OrderByItem item, string alias) => WritePath(w, item, 0, alias);

    public static void WriteDirection(SqlWriter w, OrderByItem item) =>
        w.Append(item.Descending ? " DESC" : " ASC").Append(item.NullsFirst ? " NULLS FIRST" : " NULLS LAST");

    // count() or fn(column) over the related rows of an array relationship.
    private static void WriteAggregateKey(SqlWriter w, AggregateOrderKey agg, string alias)
    {
        var remote = w.NextAlias();
        w.Append("(SELECT ");
        if (agg.Column is null) w.Append("count(*)");
        else w.Append(agg.Function).Append('(').Append(remote).Append('.').Ident(agg.Column.Name).Append(')');
        w.Append(" FROM ");
        RelationshipJoin.WriteFromAndCondition(w, agg.Relationship, alias, remote);
        WriteFilter(w, agg.Filter, remote);
        w.Append(')');
    }

    private static void WriteFilter(SqlWriter w, Ir.BoolExp? filter, string alias)
    {
        if (filter is null) return;
        w.Append(" AND ");
        BoolExpSql.Write(w, filter, alias);
    }

    private static void WritePath(SqlWriter w, OrderByItem item, int depth, string alias)
    {
        if (depth == item.Path.Count)
        {
            if (item.Aggregate is { } agg) WriteAggregateKey(w, agg, alias);
            else if (item.Rank is { } rank) Search.TextSearchSql.WriteRank(w, rank, alias);
            else if (item.DistanceFrom is { } from)
            {
                // <-> is PostGIS's index-assisted (KNN) distance: nearest-first without sorting every row.
                w.Append(alias).Append('.').Ident(item.Column!.Name).Append(" <-> ");
                Values.ValueSql.Write(w, from, item.Column);
            }
            else w.Append(alias).Append('.').Ident(item.Column!.Name);
            return;
        }
        var remote = w.NextAlias();
        w.Append("(SELECT ");
        // The inner key is written against the remote alias before the FROM that defines it; SQL allows that.
        WritePath(w, item, depth + 1, remote);
        w.Append(" FROM ");
        RelationshipJoin.WriteFromAndCondition(w, item.Path[depth], alias, remote);
        WriteFilter(w, depth < item.PathFilters.Count ? item.PathFilters[depth] : null, remote);
        w.Append(" LIMIT 1)");
    }
}
