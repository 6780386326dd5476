using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Sql.BoolExp.Operators;

namespace Peregrine.Graph.Sql.BoolExp;

/// <summary>Renders a <see cref="Ir.BoolExp"/> over the row aliased <c>alias</c> as a SQL condition.</summary>
public static class BoolExpSql
{
    public static void Write(SqlWriter w, Ir.BoolExp exp, string alias)
    {
        switch (exp)
        {
            case AndExp { Items.Count: 0 }: w.Append("true"); break;
            case OrExp { Items.Count: 0 }: w.Append("false"); break;
            case AndExp and: Join(w, and.Items, " AND ", alias); break;
            case OrExp or: Join(w, or.Items, " OR ", alias); break;
            case NotExp not:
                w.Append("NOT (");
                Write(w, not.Inner, alias);
                w.Append(')');
                break;
            case ConstantExp c: w.Append(c.Value ? "true" : "false"); break;
            case ColumnCompareExp cmp:
                var op = OperatorTable.Find(cmp.Operator)
                    ?? throw new ValidationFailedError($"unknown operator '{cmp.Operator}'");
                if (cmp.CastTo is { } cast)
                    op(w, x => x.Append('(').Append(alias).Append('.').Ident(cmp.Column.Name).Append(")::").Append(cast.PgType), cast, cmp.Operand);
                else
                    op(w, x => x.Append(alias).Append('.').Ident(cmp.Column.Name), cmp.Column, cmp.Operand);
                break;
            case RelationshipExp rel: WriteExists(w, rel, alias); break;
            case AggregateCountExp agg: WriteAggregateCount(w, agg, alias); break;
            default: throw new NotSupportedException(exp.GetType().Name);
        }
    }

    private static void Join(SqlWriter w, IReadOnlyList<Ir.BoolExp> items, string separator, string alias)
    {
        w.Append('(');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) w.Append(separator);
            Write(w, items[i], alias);
        }
        w.Append(')');
    }

    private static readonly ColumnInfo CountColumn = new("count", "integer", "Int", false, false, false);

    // Each predicate operator compares its own count subquery; PostgreSQL folds the repeats.
    private static void WriteAggregateCount(SqlWriter w, AggregateCountExp exp, string alias)
    {
        if (exp.Predicate.Count == 0) { w.Append("true"); return; }
        w.Append('(');
        for (var i = 0; i < exp.Predicate.Count; i++)
        {
            if (i > 0) w.Append(" AND ");
            var (name, operand) = exp.Predicate[i];
            var op = OperatorTable.Find(name) ?? throw new ValidationFailedError($"unknown operator '{name}'");
            op(w, x => WriteCountSubquery(x, exp, alias), CountColumn, operand);
        }
        w.Append(')');
    }

    private static void WriteCountSubquery(SqlWriter w, AggregateCountExp exp, string alias)
    {
        var remote = w.NextAlias();
        w.Append("(SELECT count(");
        if (exp.Arguments.Count == 0) w.Append('*');
        else
        {
            if (exp.Distinct) w.Append("DISTINCT ");
            w.Append('(');
            for (var i = 0; i < exp.Arguments.Count; i++)
            {
                if (i > 0) w.Append(", ");
                w.Append(remote).Append('.').Ident(exp.Arguments[i].Name);
            }
            w.Append(')');
        }
        w.Append(") FROM ");
        RelationshipJoin.WriteFromAndCondition(w, exp.Relationship, alias, remote);
        if (exp.Filter is not null)
        {
            w.Append(" AND ");
            Write(w, exp.Filter, remote);
        }
        w.Append(')');
    }

    private static void WriteExists(SqlWriter w, RelationshipExp exp, string alias)
    {
        var remote = w.NextAlias();
        w.Append("EXISTS (SELECT 1 FROM ");
        RelationshipJoin.WriteFromAndCondition(w, exp.Relationship, alias, remote);
        w.Append(" AND ");
        Write(w, exp.Inner, remote);
        w.Append(')');
    }
}
