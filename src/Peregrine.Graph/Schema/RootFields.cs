using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary>The root fields Hasura generates per table, with the catalog entry the executor dispatches on.</summary>
internal static class RootFields
{
    public static IEnumerable<(FieldType Field, RootField Root)> Queries(TableInfo table)
    {
        yield return (Field(table.Name, NonNullListOfNonNull(table.Name),
                $"fetch data from the table: \"{table.Name}\"", RootFieldArguments.ForSelect(table)),
            new RootField(table.Name, RootFieldKind.Select, table.Name));

        var aggregate = TypeNames.Aggregate(table.Name);
        yield return (Field(aggregate, NonNull(TypeNames.Aggregate(table.Name)),
                $"fetch aggregated fields from the table: \"{table.Name}\"", RootFieldArguments.ForSelect(table)),
            new RootField(aggregate, RootFieldKind.SelectAggregate, table.Name));

        var byPk = $"{table.Name}_by_pk";
        yield return (Field(byPk, Named(table.Name),
                $"fetch data from the table: \"{table.Name}\" using primary key columns", RootFieldArguments.ForPrimaryKey(table)),
            new RootField(byPk, RootFieldKind.SelectByPk, table.Name));
    }

    public static IEnumerable<(FieldType Field, RootField Root)> Mutations(TableInfo table)
    {
        var insert = $"insert_{table.Name}";
        yield return (Field(insert, Named(TypeNames.MutationResponse(table.Name)),
                $"insert data into the table: \"{table.Name}\"",
                new QueryArguments(
                    Arg("objects", NonNullListOfNonNull(TypeNames.InsertInput(table.Name)), "the rows to be inserted"),
                    Arg("on_conflict", Named(TypeNames.OnConflict(table.Name)), "upsert condition"))),
            new RootField(insert, RootFieldKind.Insert, table.Name));

        var insertOne = $"insert_{table.Name}_one";
        yield return (Field(insertOne, Named(table.Name),
                $"insert a single row into the table: \"{table.Name}\"",
                new QueryArguments(
                    Arg("object", NonNull(TypeNames.InsertInput(table.Name)), "the row to be inserted"),
                    Arg("on_conflict", Named(TypeNames.OnConflict(table.Name)), "upsert condition"))),
            new RootField(insertOne, RootFieldKind.InsertOne, table.Name));
    }
}
