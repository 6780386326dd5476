using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.BoolExp;
using Peregrine.Graph.Sql.OrderBy;

namespace Peregrine.Graph.Sql.Select;

/// <summary>
/// Compiles a selection, however deeply nested, into one statement that builds the JSON answer inside
/// PostgreSQL: each row becomes a <c>json_build_object</c>, each array relationship a correlated
/// <c>json_agg</c> subquery, each object relationship a correlated single-row subquery.
/// </summary>
public static class SelectSql
{
    public static CompiledStatement CompileList(SelectIr ir)
    {
        var w = new SqlWriter();
        w.Append("SELECT ");
        WriteArray(w, ir, null, null);
        return w.Build();
    }

    public static CompiledStatement CompileSingle(SelectIr ir)
    {
        var w = new SqlWriter();
        w.Append("SELECT ");
        WriteObject(w, ir, null, null);
        return w.Build();
    }

    /// <summary>An expression whose value is the JSON array of the selected rows, in order.</summary>
    public static void WriteArray(SqlWriter w, SelectIr ir, RelationshipInfo? rel, string? parent)
    {
        var s = w.NextAlias("s");
        w.Append("(SELECT ");
        WriteJsonAgg(w, s, "j", ir.Args.OrderBy);
        w.Append(" FROM (");
        WriteRows(w, ir, rel, parent, orderKeys: true, forceLimit: null);
        w.Append(") ").Append(s).Append(')');
    }

    /// <summary>An expression whose value is the first selected row as JSON, or NULL.</summary>
    public static void WriteObject(SqlWriter w, SelectIr ir, RelationshipInfo? rel, string? parent)
    {
        w.Append('(');
        WriteRows(w, ir, rel, parent, orderKeys: false, forceLimit: 1);
        w.Append(')');
    }

    private static void WriteRows(SqlWriter w, SelectIr ir, RelationshipInfo? rel, string? parent, bool orderKeys, long? forceLimit) =>
        WriteRowSource(w, ir.Table, ir.Args, ir.Permission, rel, parent, forceLimit, t =>
        {
            JsonObjectSql.Write(w, ir.Fields, t);
            w.Append(" AS j");
            if (orderKeys) WriteOrderKeys(w, ir.Args.OrderBy, t);
        });

    /// <summary>Projects the ordering keys as <c>o0, o1, ...</c> so an enclosing aggregate can keep the order.</summary>
    internal static void WriteOrderKeys(SqlWriter w, IReadOnlyList<OrderByItem> orderBy, string alias)
    {
        for (var i = 0; i < orderBy.Count; i++)
        {
            w.Append(", ");
            OrderBySql.WriteKey(w, orderBy[i], alias);
            w.Append(" AS o").Append(i.ToString());
        }
    }

    /// <summary>
    /// <c>SELECT [DISTINCT ON] &lt;projection&gt; FROM table WHERE join AND where AND permission ORDER BY .. LIMIT .. OFFSET ..</c>;
    /// <paramref name="projection"/> writes the select list given the table's alias.
    /// </summary>
    internal static void WriteRowSource(SqlWriter w, TableInfo table, SelectArgs args, TablePermission permission,
        RelationshipInfo? rel, string? parent, long? forceLimit, Action<string> projection)
    {
        var t = w.NextAlias();
        w.Append("SELECT ");
        if (args.DistinctOn.Count > 0)
        {
            w.Append("DISTINCT ON (");
            for (var i = 0; i < args.DistinctOn.Count; i++)
            {
                if (i > 0) w.Append(", ");
                w.Append(t).Append('.').Ident(args.DistinctOn[i].Name);
            }
            w.Append(") ");
        }
        projection(t);
        w.Append(" FROM ");
        var orderAlias = t;
        if (rel is null && args.Nearby is { } nearby)
        {
            orderAlias = NearbyCandidatesSql.WriteFrom(w, table, args, nearby, t);
            w.Append(" WHERE true");
        }
        else if (rel is null) w.Ident(table.Name).Append(' ').Append(t).Append(" WHERE true");
        else RelationshipJoin.WriteFromAndCondition(w, rel, parent!, t);

        foreach (var condition in new[] { args.Where, permission.Filter })
        {
            if (condition is null) continue;
            w.Append(" AND ");
            BoolExpSql.Write(w, condition, t);
        }
        if (args.Search is { } search)
        {
            w.Append(" AND ");
            Search.TextSearchSql.WriteMatch(w, search, t);
        }
        OrderBySql.WriteClause(w, args.OrderBy, orderAlias);

        var limit = Min(Min(args.Limit, permission.Limit), forceLimit);
        if (limit is not null) w.Append(" LIMIT ").Append(limit.Value.ToString());
        if (args.Offset is > 0) w.Append(" OFFSET ").Append(args.Offset.Value.ToString());
    }

    /// <summary><c>coalesce(json_agg(s.col ORDER BY s.o0 .., s.o1 ..), '[]')</c>.</summary>
    internal static void WriteJsonAgg(SqlWriter w, string source, string column, IReadOnlyList<OrderByItem> orderBy)
    {
        w.Append("coalesce(json_agg(").Append(source).Append('.').Append(column);
        for (var i = 0; i < orderBy.Count; i++)
        {
            w.Append(i == 0 ? " ORDER BY " : ", ");
            w.Append(source).Append(".o").Append(i.ToString());
            OrderBySql.WriteDirection(w, orderBy[i]);
        }
        w.Append("), '[]'::json)");
    }

    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
