using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

internal static class RootFieldArguments
{
    public static QueryArguments ForSelect(TableInfo table) => new(
        Arg("distinct_on", ListOfNonNull(TypeNames.SelectColumn(table.Name)), "distinct select on columns"),
        Arg("limit", Named("Int"), "limit the number of rows returned"),
        Arg("offset", Named("Int"), "skip the first n rows. Use only with order_by"),
        Arg("order_by", ListOfNonNull(TypeNames.OrderBy(table.Name)), "sort the rows by one or more columns"),
        Arg("where", Named(TypeNames.BoolExp(table.Name)), "filter the rows returned"));

    public static QueryArguments ForPrimaryKey(TableInfo table) =>
        new(table.PrimaryKey.Select(col => Arg(col, NonNull(table.Column(col).Scalar))));
}
