using System.Text;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.Tree;

namespace Peregrine.Graph.Sql.Mutation;

/// <summary>Reads the rows a mutation wrote back by primary key, in the order they were written.</summary>
internal static class ReturningSql
{
    public static CompiledStatement Compile(MutationIr ir, long affectedRows, string keysJson)
    {
        var w = new SqlWriter();
        var rows = RowsByKey(ir.Action.Table, w.AddParameter(keysJson));
        w.Append("SELECT ");
        MutationOutputSql.Write(w, ir.Output, affectedRows.ToString(System.Globalization.CultureInfo.InvariantCulture), rows, "_r", ir.ReturningFilter);
        return w.Build();
    }

    private static SqlFragment RowsByKey(TableInfo table, SqlFragment keysParam)
    {
        var sb = new StringBuilder("::json) WITH ORDINALITY _k(v, ord) JOIN \"").Append(table.Name).Append("\" _x ON ");
        for (var i = 0; i < table.PrimaryKey.Count; i++)
        {
            if (i > 0) sb.Append(" AND ");
            var col = table.Column(table.PrimaryKey[i]);
            sb.Append("_x.\"").Append(col.Name).Append("\" = (_k.v->>'").Append(col.Name).Append("')::").Append(col.PgType);
        }
        return SqlFragment.Of("(SELECT _x.* FROM json_array_elements(", keysParam, sb.Append(" ORDER BY _k.ord)").ToString());
    }
}
