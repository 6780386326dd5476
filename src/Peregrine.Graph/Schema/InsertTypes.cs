using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary>The input types of <c>insert_&lt;table&gt;</c>: rows, nested relationship inserts, and upserts.</summary>
internal static class InsertTypes
{
    public static IEnumerable<IGraphType> Build(TableInfo table, CatalogMetadata catalog)
    {
        yield return MutationResponse(table);
        if (!table.Access.CanInsert) yield break;
        yield return InsertInput(table, catalog);
        yield return ObjRelInsertInput(table);
        yield return ArrRelInsertInput(table);
        if (!Upsertable(table)) yield break;
        yield return OnConflict(table);
        yield return ConstraintEnum(table);
        yield return UpdateColumnEnum(table);
    }

    /// <summary>True when the role may name at least one constraint in <c>on_conflict</c> (see <see cref="Upserts"/>).</summary>
    public static bool Upsertable(TableInfo table) => Upserts.Constraints(table).Any();

    private static InputObjectGraphType InsertInput(TableInfo table, CatalogMetadata catalog)
    {
        var t = new InputObjectGraphType
        {
            Name = TypeNames.InsertInput(table.Name),
            Description = $"input type for inserting data into table \"{table.Name}\""
        };
        foreach (var c in table.Columns.Where(c => table.Access.InsertColumns.Contains(c.Name)))
            t.AddField(Field(c.Name, Named(c.Scalar)));
        foreach (var rel in table.Relationships)
        {
            if (!catalog.Table(rel.RemoteTable).Access.CanInsert) continue;
            var inputType = rel.Kind == RelationshipKind.Object
                ? TypeNames.ObjRelInsertInput(rel.RemoteTable)
                : TypeNames.ArrRelInsertInput(rel.RemoteTable);
            t.AddField(Field(rel.Name, Named(inputType)));
        }
        return t;
    }

    private static InputObjectGraphType ObjRelInsertInput(TableInfo table)
    {
        var t = new InputObjectGraphType
        {
            Name = TypeNames.ObjRelInsertInput(table.Name),
            Description = $"input type for inserting object relation for remote table \"{table.Name}\""
        };
        t.AddField(Field("data", NonNull(TypeNames.InsertInput(table.Name))));
        if (Upsertable(table)) t.AddField(Field("on_conflict", Named(TypeNames.OnConflict(table.Name)), "upsert condition"));
        return t;
    }

    private static InputObjectGraphType ArrRelInsertInput(TableInfo table)
    {
        var t = new InputObjectGraphType
        {
            Name = TypeNames.ArrRelInsertInput(table.Name),
            Description = $"input type for inserting array relation for remote table \"{table.Name}\""
        };
        t.AddField(Field("data", NonNullListOfNonNull(TypeNames.InsertInput(table.Name))));
        if (Upsertable(table)) t.AddField(Field("on_conflict", Named(TypeNames.OnConflict(table.Name)), "upsert condition"));
        return t;
    }

    private static InputObjectGraphType OnConflict(TableInfo table)
    {
        var t = new InputObjectGraphType
        {
            Name = TypeNames.OnConflict(table.Name),
            Description = $"on_conflict condition type for table \"{table.Name}\""
        };
        t.AddField(Field("constraint", NonNull(TypeNames.Constraint(table.Name))));
        t.AddField(new FieldType
        {
            Name = "update_columns",
            ResolvedType = NonNullListOfNonNull(TypeNames.UpdateColumn(table.Name)),
            DefaultValue = Array.Empty<object>()
        });
        t.AddField(Field("where", Named(TypeNames.BoolExp(table.Name))));
        return t;
    }

    private static EnumerationGraphType ConstraintEnum(TableInfo table)
    {
        var e = new EnumerationGraphType
        {
            Name = TypeNames.Constraint(table.Name),
            Description = $"unique or primary key constraints on table \"{table.Name}\""
        };
        foreach (var u in Upserts.Constraints(table))
            e.Add(u.Name, u.Name, $"unique or primary key constraint on columns {string.Join(", ", u.Columns.Select(c => $"\"{c}\""))}");
        return e;
    }

    private static EnumerationGraphType UpdateColumnEnum(TableInfo table)
    {
        var e = new EnumerationGraphType
        {
            Name = TypeNames.UpdateColumn(table.Name),
            Description = $"update columns of table \"{table.Name}\""
        };
        foreach (var c in table.Columns.Where(c => Upserts.Updates(table, c)))
            e.Add(c.Name, c.Name, "column name");
        // Hasura's placeholder: an enum needs a value even when the role may update no column.
        if (!e.Values.Any()) e.Add("_PLACEHOLDER", "_PLACEHOLDER", "placeholder (do not use)");
        return e;
    }

    private static ObjectGraphType MutationResponse(TableInfo table)
    {
        var t = new ObjectGraphType
        {
            Name = TypeNames.MutationResponse(table.Name),
            Description = $"response of any mutation on the table \"{table.Name}\""
        };
        t.AddField(Field("affected_rows", NonNull("Int"), "number of rows affected by the mutation"));
        if (table.Access.CanSelect)
            t.AddField(Field("returning", NonNullListOfNonNull(table.Name), "data from the rows affected by the mutation"));
        return t;
    }
}
