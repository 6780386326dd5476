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
        w.Append("(SELECT coalesce(json_agg(").Append(s).Append(".j");
        if (ir.Args.OrderBy.Count > 0)
        {
            w.Append(" ORDER BY ");
            for (var i = 0; i < ir.Args.OrderBy.Count; i++)
            {
                if (i > 0) w.Append(", ");
                w.Append(s).Append(".o").Append(i.ToString());
                OrderBySql.WriteDirection(w, ir.Args.OrderBy[i]);
            }
        }
        w.Append("), '[]'::json) FROM (");
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

    private static void WriteRows(SqlWriter w, SelectIr ir, RelationshipInfo? rel, string? parent, bool orderKeys, long? forceLimit)
    {
        var t = w.NextAlias();
        var args = ir.Args;
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
        JsonObjectSql.Write(w, ir.Fields, t);
        w.Append(" AS j");
        if (orderKeys)
        {
            for (var i = 0; i < args.OrderBy.Count; i++)
            {
                w.Append(", ");
                OrderBySql.WriteKey(w, args.OrderBy[i], t);
                w.Append(" AS o").Append(i.ToString());
            }
        }
        w.Append(" FROM ");
        if (rel is null) w.Ident(ir.Table.Name).Append(' ').Append(t).Append(" WHERE true");
        else RelationshipJoin.WriteFromAndCondition(w, rel, parent!, t);

        foreach (var condition in new[] { args.Where, ir.Permission.Filter })
        {
            if (condition is null) continue;
            w.Append(" AND ");
            BoolExpSql.Write(w, condition, t);
        }
        OrderBySql.WriteClause(w, args.OrderBy, t);

        var limit = Min(Min(args.Limit, ir.Permission.Limit), forceLimit);
        if (limit is not null) w.Append(" LIMIT ").Append(limit.Value.ToString());
        if (args.Offset is > 0) w.Append(" OFFSET ").Append(args.Offset.Value.ToString());
    }

    private static long? Min(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
