using Peregrine.Graph.Ir;
using Peregrine.Graph.Sql.Select;
using Peregrine.Graph.Sql.Tree;

namespace Peregrine.Graph.Sql.Mutation;

/// <summary>The answer of a mutation root field: <c>{affected_rows, returning}</c> or one row.</summary>
internal static class MutationOutputSql
{
    /// <param name="rows">A SQL relation (in parentheses) of the rows to answer with.</param>
    /// <param name="visible">The role's select filter: only rows it may read are answered with.</param>
    public static void Write(SqlWriter w, MutationOutput output, string affected, SqlFragment rows, string alias, Ir.BoolExp? visible)
    {
        switch (output)
        {
            case SingleRowOutput single:
                w.Append("(SELECT ");
                JsonObjectSql.Write(w, single.Fields, alias);
                w.Append(" FROM ").Append(rows).Append(' ').Append(alias);
                WriteVisible(w, visible, alias);
                w.Append(" LIMIT 1)");
                break;
            case MutationResponseOutput response:
                w.Append("json_build_object(");
                for (var i = 0; i < response.Fields.Count; i++)
                {
                    if (i > 0) w.Append(", ");
                    var f = response.Fields[i];
                    w.Literal(f.Alias).Append(", ");
                    switch (f)
                    {
                        case AffectedRowsField: w.Append(affected); break;
                        case MutationTypenameField t: w.Literal(t.TypeName); break;
                        case ReturningField r:
                            w.Append("(SELECT coalesce(json_agg(");
                            JsonObjectSql.Write(w, r.Fields, alias);
                            w.Append("), '[]'::json) FROM ").Append(rows).Append(' ').Append(alias);
                            WriteVisible(w, visible, alias);
                            w.Append(')');
                            break;
                    }
                }
                w.Append(')');
                break;
        }
    }

    private static void WriteVisible(SqlWriter w, Ir.BoolExp? visible, string alias)
    {
        if (visible is null) return;
        w.Append(" WHERE ");
        BoolExp.BoolExpSql.Write(w, visible, alias);
    }
}
