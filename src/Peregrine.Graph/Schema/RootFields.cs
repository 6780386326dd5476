using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary>The root fields Hasura generates per table, with the catalog entry the executor dispatches on.</summary>
internal static class RootFields
{
    public static IEnumerable<(FieldType Field, RootField Root)> Queries(TableInfo table)
    {
        if (!table.Access.CanSelect) yield break;
        yield return (Field(table.Name, NonNullListOfNonNull(table.Name),
                $"fetch data from the table: \"{table.Name}\"", RootFieldArguments.ForSelect(table)),
            new RootField(table.Name, RootFieldKind.Select, table.Name));

        var aggregate = TypeNames.Aggregate(table.Name);
        if (table.Access.AllowAggregations)
            yield return (Field(aggregate, NonNull(TypeNames.Aggregate(table.Name)),
                $"fetch aggregated fields from the table: \"{table.Name}\"", RootFieldArguments.ForSelect(table)),
            new RootField(aggregate, RootFieldKind.SelectAggregate, table.Name));

        var byPk = $"{table.Name}_by_pk";
        if (table.PrimaryKey.All(c => table.IsFilterable(table.Column(c))))
            yield return (Field(byPk, Named(table.Name),
                $"fetch data from the table: \"{table.Name}\" using primary key columns", RootFieldArguments.ForPrimaryKey(table)),
            new RootField(byPk, RootFieldKind.SelectByPk, table.Name));
    }

    public static (FieldType Field, RootField Root) Search(SearchFunctionInfo search, TableInfo table)
    {
        var args = RootFieldArguments.ForSelect(table);
        args.Add(Arg("args", NonNull($"{search.Name}_args"), "input parameters for the search"));
        return (Field(search.Name, NonNullListOfNonNull(table.Name),
                $"full-text search over \"{table.Name}\", best matches first unless order_by says otherwise", args),
            new RootField(search.Name, RootFieldKind.Search, table.Name) { Search = search });
    }

    public static InputObjectGraphType SearchArgs(SearchFunctionInfo search)
    {
        var t = new InputObjectGraphType { Name = $"{search.Name}_args" };
        t.AddField(Field("search", NonNull("String"), "words to find, in web-search syntax (\"quoted phrases\", or, -not)"));
        return t;
    }

    // on_conflict only where the role may name a constraint (see Upserts).
    private static QueryArguments InsertArguments(TableInfo table, QueryArgument rows) =>
        InsertTypes.Upsertable(table)
            ? new QueryArguments(rows, Arg("on_conflict", Named(TypeNames.OnConflict(table.Name)), "upsert condition"))
            : new QueryArguments(rows);

    public static IEnumerable<(FieldType Field, RootField Root)> Mutations(TableInfo table)
    {
        var access = table.Access;
        var insert = $"insert_{table.Name}";
        if (access.CanInsert)
            yield return (Field(insert, Named(TypeNames.MutationResponse(table.Name)),
                $"insert data into the table: \"{table.Name}\"",
                InsertArguments(table, Arg("objects", NonNullListOfNonNull(TypeNames.InsertInput(table.Name)), "the rows to be inserted"))),
            new RootField(insert, RootFieldKind.Insert, table.Name));

        var insertOne = $"insert_{table.Name}_one";
        if (access.CanInsert && access.CanSelect)
            yield return (Field(insertOne, Named(table.Name),
                $"insert a single row into the table: \"{table.Name}\"",
                InsertArguments(table, Arg("object", NonNull(TypeNames.InsertInput(table.Name)), "the row to be inserted"))),
            new RootField(insertOne, RootFieldKind.InsertOne, table.Name));

        var operators = UpdateDeleteTypes.Operators(table).Select(o => Arg(o.Operator, Named(o.InputType))).ToList();
        if (!access.CanUpdate && !access.CanDelete) yield break;
        var update = $"update_{table.Name}";
        if (access.CanUpdate)
            yield return (Field(update, Named(TypeNames.MutationResponse(table.Name)),
                $"update data of the table: \"{table.Name}\"",
                new QueryArguments([.. operators, Arg("where", NonNull(TypeNames.BoolExp(table.Name)), "filter the rows which have to be updated")])),
            new RootField(update, RootFieldKind.Update, table.Name));

        var updateByPk = $"update_{table.Name}_by_pk";
        // A _by_pk field filters by its key columns, which the role must read on every row.
        var keyVisible = table.PrimaryKey.All(c => table.IsFilterable(table.Column(c)));
        if (access.CanUpdate && access.CanSelect && keyVisible)
            yield return (Field(updateByPk, Named(table.Name),
                $"update single row of the table: \"{table.Name}\"",
                new QueryArguments([.. UpdateDeleteTypes.Operators(table).Select(o => Arg(o.Operator, Named(o.InputType))),
                    Arg("pk_columns", NonNull(TypeNames.PkColumnsInput(table.Name)))])),
            new RootField(updateByPk, RootFieldKind.UpdateByPk, table.Name));

        var updateMany = $"update_{table.Name}_many";
        if (access.CanUpdate)
            yield return (Field(updateMany, new ListGraphType(Named(TypeNames.MutationResponse(table.Name))),
                $"update multiples rows of table: \"{table.Name}\"",
                new QueryArguments(Arg("updates", NonNullListOfNonNull(TypeNames.Updates(table.Name)), "updates to execute, in order"))),
            new RootField(updateMany, RootFieldKind.UpdateMany, table.Name));

        var delete = $"delete_{table.Name}";
        if (access.CanDelete)
            yield return (Field(delete, Named(TypeNames.MutationResponse(table.Name)),
                $"delete data from the table: \"{table.Name}\"",
                new QueryArguments(Arg("where", NonNull(TypeNames.BoolExp(table.Name)), "filter the rows which have to be deleted"))),
            new RootField(delete, RootFieldKind.Delete, table.Name));

        var deleteByPk = $"delete_{table.Name}_by_pk";
        if (access.CanDelete && access.CanSelect && keyVisible)
            yield return (Field(deleteByPk, Named(table.Name),
                $"delete single row from the table: \"{table.Name}\"", RootFieldArguments.ForPrimaryKey(table)),
            new RootField(deleteByPk, RootFieldKind.DeleteByPk, table.Name));
    }
}
