using Peregrine.Graph.Ir;
using Peregrine.Graph.Sql.Mutation;
using Peregrine.Graph.Sql.Select;
using Peregrine.Graph.Sql.Tree;

namespace Peregrine.Graph.Sql.Insert;

/// <summary>
/// An insert root field as SQL. Rows written by a statement's CTEs are invisible to the rest of that
/// statement's reads, so an answer that needs relationships of the new rows is read by a second
/// statement in the same transaction; an answer of plain columns comes straight from RETURNING.
/// </summary>
public static class InsertSql
{
    public static MutationPlan Compile(MutationIr ir, InsertIr insert)
    {
        var w = new SqlWriter();
        if (insert.Rows.Count == 0)
        {
            // objects: [] writes nothing and answers {affected_rows: 0, returning: []}, as Hasura does.
            w.Append("SELECT ");
            MutationOutputSql.Write(w, ir.Output, "0", SqlFragment.Of($"(SELECT * FROM \"{insert.Table.Name}\" WHERE false)"), "_r", null);
            return new MutationPlan(w.Build(), null);
        }
        var ctes = new InsertCtes(w);
        var roots = ctes.Write(insert, null);
        var affected = "(" + string.Join(" + ", ctes.Written.Select(c => $"(SELECT count(*) FROM {c})")) + ")";
        // Only rows the INSERT returned: one an on_conflict left as is is not part of the answer (Hasura's behaviour).
        var rows = "(" + string.Join(" UNION ALL ", roots.Select(r => $"SELECT * FROM {r.Written}")) + ")";

        w.Append(" SELECT ");
        if (ReadsOnlyColumns(ir.Output) && ctes.Checked.Count == 0)
        {
            MutationOutputSql.Write(w, ir.Output, affected, SqlFragment.Of(rows), "_r", ir.ReturningFilter);
            return new MutationPlan(w.Build(), null);
        }
        w.Append("json_build_object('affected_rows', ").Append(affected)
            .Append(", 'keys', ").Append(Keys.JsonOf(insert.Table, rows))
            .Append(", 'checks', json_build_array(")
            .Append(string.Join(", ", ctes.Checked.Select(c => Keys.JsonOf(c.Table, c.Cte))))
            .Append("))");
        return new MutationPlan(w.Build(), (affectedRows, keysJson) => ReturningSql.Compile(ir, affectedRows, keysJson),
            ctes.Checked.Select(c => (c.Table, c.Check)).ToList());
    }

    private static bool ReadsOnlyColumns(MutationOutput output)
    {
        static bool Flat(IEnumerable<SelectField> fields) => fields.All(f => f is ColumnField or TypenameField);
        return output switch
        {
            SingleRowOutput s => Flat(s.Fields),
            MutationResponseOutput m => m.Fields.OfType<ReturningField>().All(r => Flat(r.Fields)),
            _ => false
        };
    }
}

