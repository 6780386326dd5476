using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;

namespace Peregrine.Graph.Sql.Select;

/// <summary>
/// <c>&lt;t&gt;_aggregate</c> as one expression: the chosen rows in a subquery that projects each
/// <c>nodes</c> selection (<c>j0, j1..</c>), the columns the aggregates read (<c>c_&lt;name&gt;</c>) and the
/// ordering keys; the outer <c>json_build_object</c> aggregates over it.
/// </summary>
public static class AggregateSql
{
    public static CompiledStatement Compile(AggregateSelectIr ir)
    {
        var w = new SqlWriter();
        w.Append("SELECT ");
        Write(w, ir, null, null);
        return w.Build();
    }

    public static void Write(SqlWriter w, AggregateSelectIr ir, RelationshipInfo? rel, string? parent)
    {
        var s = w.NextAlias("s");
        var columns = AggregatedColumns(ir);
        w.Append("(SELECT json_build_object(");
        for (var i = 0; i < ir.Fields.Count; i++)
        {
            if (i > 0) w.Append(", ");
            var f = ir.Fields[i];
            w.Literal(f.Alias).Append(", ");
            switch (f)
            {
                case AggregateNodesField: SelectSql.WriteJsonAgg(w, s, "j" + i, ir.Args.OrderBy); break;
                case AggregateFieldsField a: WriteOutputs(w, a.Outputs, s); break;
                case AggregateTypenameField t: w.Literal(t.TypeName); break;
            }
        }
        w.Append(") FROM (");
        if (rel is not null && CountsBridgeOnly(ir, rel))
        {
            // Only count(*) of a many-to-many relationship, unfiltered: the bridge rows are the answer (their
            // foreign keys guarantee the far rows exist), so the far table need not be joined at all.
            w.Append("SELECT 1 AS _one FROM ").Ident(rel.Bridge!).Append(" _bc WHERE ");
            for (var i = 0; i < rel.LocalColumns.Count; i++)
            {
                if (i > 0) w.Append(" AND ");
                w.Append("_bc.").Ident(rel.BridgeLocalColumns![i]).Append(" = ").Append(parent!).Append('.').Ident(rel.LocalColumns[i]);
            }
            w.Append(") ").Append(s).Append(')');
            return;
        }
        SelectSql.WriteRowSource(w, ir.Table, ir.Args, ir.Permission, rel, parent, null, t =>
        {
            w.Append("1 AS _one");
            for (var i = 0; i < ir.Fields.Count; i++)
            {
                if (ir.Fields[i] is not AggregateNodesField nodes) continue;
                w.Append(", ");
                JsonObjectSql.Write(w, nodes.Fields, t);
                w.Append(" AS j").Append(i.ToString());
            }
            foreach (var c in columns)
                w.Append(", ").Append(t).Append('.').Ident(c.Name).Append(" AS ").Ident("c_" + c.Name);
            SelectSql.WriteOrderKeys(w, ir.Args.OrderBy, t);
        });
        w.Append(") ").Append(s).Append(')');
    }

    private static bool CountsBridgeOnly(AggregateSelectIr ir, RelationshipInfo rel) =>
        rel.Kind == RelationshipKind.ManyToMany
        && ir.Args is { Where: null, OrderBy.Count: 0, Limit: null, Offset: null, DistinctOn.Count: 0, Search: null }
        && ir.Permission is { Filter: null, Limit: null }
        && ir.Fields.All(f => f switch
        {
            AggregateTypenameField => true,
            AggregateFieldsField a => a.Outputs.All(o => o is AggregateOutputTypename or CountOutput { Columns.Count: 0 }),
            _ => false
        });

    private static void WriteOutputs(SqlWriter w, IReadOnlyList<AggregateOutput> outputs, string s)
    {
        w.Append("json_build_object(");
        for (var i = 0; i < outputs.Count; i++)
        {
            if (i > 0) w.Append(", ");
            var o = outputs[i];
            w.Literal(o.Alias).Append(", ");
            switch (o)
            {
                case CountOutput c: WriteCount(w, c, s); break;
                case AggregateOutputTypename t: w.Literal(t.TypeName); break;
                case FunctionOutput fn:
                    w.Append("json_build_object(");
                    for (var k = 0; k < fn.Columns.Count; k++)
                    {
                        if (k > 0) w.Append(", ");
                        var (alias, column, typeName) = fn.Columns[k];
                        w.Literal(alias).Append(", ");
                        if (column is null) w.Literal(typeName!);
                        else w.Append(fn.Function).Append('(').Append(s).Append('.').Ident("c_" + column.Name).Append(')');
                    }
                    w.Append(')');
                    break;
            }
        }
        w.Append(')');
    }

    private static void WriteCount(SqlWriter w, CountOutput c, string s)
    {
        if (c.Columns.Count == 0)
        {
            w.Append("count(*)");
            return;
        }
        w.Append("count(").Append(c.Distinct ? "DISTINCT " : "");
        if (c.Columns.Count == 1) w.Append(s).Append('.').Ident("c_" + c.Columns[0].Name);
        else
        {
            w.Append('(');
            for (var i = 0; i < c.Columns.Count; i++)
            {
                if (i > 0) w.Append(", ");
                w.Append(s).Append('.').Ident("c_" + c.Columns[i].Name);
            }
            w.Append(')');
        }
        w.Append(')');
    }

    private static List<ColumnInfo> AggregatedColumns(AggregateSelectIr ir) =>
        ir.Fields.OfType<AggregateFieldsField>()
            .SelectMany(a => a.Outputs)
            .SelectMany(o => o switch
            {
                CountOutput c => c.Columns,
                FunctionOutput f => f.Columns.Where(x => x.Column is not null).Select(x => x.Column!),
                _ => []
            })
            .DistinctBy(c => c.Name)
            .ToList();
}
