using System.Text.Json.Nodes;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.BoolExp;
using Peregrine.Graph.Sql.Mutation;
using Peregrine.Graph.Sql.Values;
using Peregrine.Graph.Sql.Tree;

namespace Peregrine.Graph.Sql.Update;

/// <summary>
/// <c>WITH _u AS (UPDATE .. SET .. WHERE .. RETURNING *) SELECT &lt;answer&gt;</c>. An update writes no
/// related rows, so relationships in <c>returning</c> read consistently in the same statement.
/// </summary>
public static class UpdateSql
{
    public static MutationPlan Compile(MutationIr mutation, UpdateIr ir)
    {
        var output = mutation.Output;
        var w = new SqlWriter();
        w.Append("WITH _u AS (UPDATE ").Ident(ir.Table.Name).Append(" AS _target SET ");
        var columns = ir.Ops.Select(o => o.Column).DistinctBy(c => c.Name).ToList();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) w.Append(", ");
            w.Ident(columns[i].Name).Append(" = ");
            WriteValue(w, columns[i], ir.Ops.Where(o => o.Column.Name == columns[i].Name).ToList());
        }
        w.Append(" WHERE ");
        BoolExpSql.Write(w, ir.Where, "_target");
        w.Append(" RETURNING *)");
        w.Append(" SELECT ");
        if (ir.Check is null)
        {
            MutationOutputSql.Write(w, output, "(SELECT count(*) FROM _u)", SqlFragment.Of("(SELECT * FROM _u)"), "_r", mutation.ReturningFilter);
            return new MutationPlan(w.Build(), null);
        }
        // The check reads the rows as updated, which only a later statement can see.
        var keys = Keys.JsonOf(ir.Table, "_u");
        w.Append("json_build_object('affected_rows', (SELECT count(*) FROM _u), 'keys', ").Append(keys)
            .Append(", 'checks', json_build_array(").Append(keys).Append("))");
        return new MutationPlan(w.Build(), (affected, k) => ReturningSql.Compile(mutation, affected, k), [(ir.Table, ir.Check)]);
    }

    // Operators on one column compose in Hasura's order: _set, then _inc and the jsonb operators.
    private static void WriteValue(SqlWriter w, ColumnInfo column, IReadOnlyList<UpdateOp> ops)
    {
        var set = ops.LastOrDefault(o => o.Operator == "_set");
        var rest = ops.Where(o => o.Operator != "_set").ToList();
        WriteApplied(w, column, set, rest, rest.Count);
    }

    /// <summary>Writes the column's value after the first <paramref name="count"/> operators of <paramref name="rest"/>.</summary>
    private static void WriteApplied(SqlWriter w, ColumnInfo column, UpdateOp? set, List<UpdateOp> rest, int count)
    {
        if (count == 0)
        {
            if (set is not null) ValueSql.Write(w, set.Value, column);
            else w.Append("_target.").Ident(column.Name);
            return;
        }
        var op = rest[count - 1];
        w.Append('(');
        if (op.Operator == "_prepend")
        {
            ValueSql.Write(w, op.Value, column);
            w.Append(" || ");
            WriteApplied(w, column, set, rest, count - 1);
            w.Append(')');
            return;
        }
        WriteApplied(w, column, set, rest, count - 1);
        switch (op.Operator)
        {
            case "_inc": w.Append(" + "); ValueSql.Write(w, op.Value, column); break;
            case "_append": w.Append(" || "); ValueSql.Write(w, op.Value, column); break;
            case "_delete_key": w.Append(" - ").Param(op.Value?.GetValue<string>()).Append("::text"); break;
            case "_delete_elem": w.Append(" - ").Param(op.Value?.ToJsonString()).Append("::integer"); break;
            case "_delete_at_path":
                var path = op.Value is JsonArray a ? a.Select(x => x?.GetValue<string>()).ToArray() : [op.Value?.GetValue<string>()];
                w.Append(" #- ").Param(path).Append("::text[]");
                break;
        }
        w.Append(')');
    }
}
