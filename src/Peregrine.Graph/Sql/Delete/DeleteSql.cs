using Peregrine.Graph.Ir;
using Peregrine.Graph.Sql.BoolExp;
using Peregrine.Graph.Sql.Mutation;
using Peregrine.Graph.Sql.Tree;

namespace Peregrine.Graph.Sql.Delete;

/// <summary><c>WITH _d AS (DELETE .. WHERE .. RETURNING *) SELECT &lt;answer&gt;</c>; the answer reads the rows as they were.</summary>
public static class DeleteSql
{
    public static CompiledStatement Compile(MutationIr mutation, DeleteIr ir)
    {
        var output = mutation.Output;
        var w = new SqlWriter();
        w.Append("WITH _d AS (DELETE FROM ").Ident(ir.Table.Name).Append(" AS _target WHERE ");
        BoolExpSql.Write(w, ir.Where, "_target");
        w.Append(" RETURNING *) SELECT ");
        MutationOutputSql.Write(w, output, "(SELECT count(*) FROM _d)", SqlFragment.Of("(SELECT * FROM _d)"), "_r", mutation.ReturningFilter);
        return w.Build();
    }
}
