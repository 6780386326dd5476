using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary>
/// <c>&lt;t&gt;_aggregate { aggregate { count sum avg max min stddev ... } nodes }</c>, and the inputs that
/// order or filter by an array relationship's aggregate.
/// </summary>
internal static class AggregateTypes
{
    public static IEnumerable<IGraphType> Build(TableInfo table)
    {
        var t = table.Name;
        var aggregate = new ObjectGraphType { Name = TypeNames.Aggregate(t), Description = $"aggregated selection of \"{t}\"" };
        aggregate.AddField(Field("aggregate", Named(TypeNames.AggregateFields(t))));
        aggregate.AddField(Field("nodes", NonNullListOfNonNull(t)));
        yield return aggregate;

        var fields = new ObjectGraphType { Name = TypeNames.AggregateFields(t), Description = $"aggregate fields of \"{t}\"" };
        fields.AddField(Field("count", NonNull("Int"), args: new QueryArguments(
            Arg("columns", ListOfNonNull(TypeNames.SelectColumn(t))),
            Arg("distinct", Named("Boolean")))));
        var orderBy = new InputObjectGraphType { Name = TypeNames.AggregateOrderBy(t), Description = $"order by aggregate values of table \"{t}\"" };
        orderBy.AddField(Field("count", Named(TypeNames.OrderByEnum)));

        foreach (var fn in AggregateFunctions.All)
        {
            var columns = AggregateFunctions.Columns(table, fn);
            if (columns.Count == 0) continue;
            var opFields = new ObjectGraphType { Name = TypeNames.AggregateOpFields(t, fn), Description = $"aggregate {fn} on columns" };
            var opOrder = new InputObjectGraphType { Name = TypeNames.AggregateOpOrderBy(t, fn), Description = $"order by {fn}() on columns of table \"{t}\"" };
            foreach (var c in columns)
            {
                opFields.AddField(Field(c.Name, Named(AggregateFunctions.ResultScalar(fn, c))));
                opOrder.AddField(Field(c.Name, Named(TypeNames.OrderByEnum)));
            }
            fields.AddField(Field(fn, Named(opFields.Name)));
            orderBy.AddField(Field(fn, Named(opOrder.Name)));
            yield return opFields;
            yield return opOrder;
        }
        yield return fields;
        yield return orderBy;

        var boolExp = new InputObjectGraphType { Name = TypeNames.AggregateBoolExp(t) };
        boolExp.AddField(Field("count", Named(TypeNames.AggregateBoolExpCount(t))));
        yield return boolExp;
        var count = new InputObjectGraphType { Name = TypeNames.AggregateBoolExpCount(t) };
        count.AddField(Field("arguments", ListOfNonNull(TypeNames.SelectColumn(t))));
        count.AddField(Field("distinct", Named("Boolean")));
        count.AddField(Field("filter", Named(TypeNames.BoolExp(t))));
        count.AddField(Field("predicate", NonNull(TypeNames.Comparison("Int"))));
        yield return count;
    }
}
