using System.Globalization;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.OrderBy;

namespace Peregrine.Graph.Sql.Select;

/// <summary>
/// The FROM of a list that has <see cref="NearbyCandidates"/>:
/// <c>(candidate keys in the requested order, OFFSET 0) k CROSS JOIN LATERAL (the row with k's key) t</c>. The candidates are
/// index-only range scans over the cover, plus every row without a stored cell; OFFSET 0 keeps PostgreSQL
/// from merging the ordered candidates into the outer query, whose ORDER BY (on k) they already satisfy.
/// </summary>
public static class NearbyCandidatesSql
{
    /// <returns>The alias of the ordered candidates, to order the outer query by.</returns>
    public static string WriteFrom(SqlWriter w, TableInfo table, SelectArgs args, NearbyCandidates nearby, string t)
    {
        var pk = table.PrimaryKey[0];
        var columns = new[] { pk }.Concat(args.OrderBy.Select(o => o.Column!.Name)).Distinct().ToList();
        var (k, c, r, x) = (w.NextAlias("k"), w.NextAlias("c"), w.NextAlias("r"), w.NextAlias());

        // Keys and ordering columns of the rows whose cell satisfies `cellCondition` (index-only on the cell index).
        void Rows(string cellCondition)
        {
            w.Append("SELECT ");
            Columns(w, x, columns);
            w.Append(" FROM ").Ident(table.Name).Append(' ').Append(x).Append(" WHERE ").Append(x).Append('.')
                .Ident(nearby.Cell15Column).Append(cellCondition);
        }

        w.Append("(SELECT ");
        Columns(w, c, columns);
        w.Append(" FROM (SELECT ");
        Columns(w, x, columns);
        w.Append(" FROM unnest(")
            .Param(nearby.Ranges.Select(g => g.Min.ToString(CultureInfo.InvariantCulture)).ToArray()).Append("::bigint[], ")
            .Param(nearby.Ranges.Select(g => g.Max.ToString(CultureInfo.InvariantCulture)).ToArray()).Append("::bigint[]) AS ")
            .Append(r).Append("(lo, hi) CROSS JOIN LATERAL (");
        Rows($" BETWEEN {r}.lo AND {r}.hi");
        w.Append(") ").Append(x).Append(" UNION ALL ");
        Rows(" IS NULL");
        w.Append(") ").Append(c);
        OrderBySql.WriteClause(w, args.OrderBy, c);
        // Each candidate's row by primary key, behind OFFSET 0 too: otherwise PostgreSQL may answer the
        // distance test from the spatial index over the whole disk and join, which is the work being avoided.
        var y = w.NextAlias();
        w.Append(" OFFSET 0) ").Append(k).Append(" CROSS JOIN LATERAL (SELECT * FROM ").Ident(table.Name).Append(' ').Append(y)
            .Append(" WHERE ").Append(y).Append('.').Ident(pk).Append(" = ").Append(k).Append('.').Ident(pk)
            .Append(" OFFSET 0) ").Append(t);
        return k;
    }

    private static void Columns(SqlWriter w, string alias, IReadOnlyList<string> columns)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) w.Append(", ");
            w.Append(alias).Append('.').Ident(columns[i]);
        }
    }
}
