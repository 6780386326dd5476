using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

internal static class OrderByTypes
{
    public static EnumerationGraphType OrderByEnum()
    {
        var e = new EnumerationGraphType { Name = TypeNames.OrderByEnum, Description = "column ordering options" };
        e.Add("asc", "asc", "in ascending order, nulls last");
        e.Add("asc_nulls_first", "asc_nulls_first", "in ascending order, nulls first");
        e.Add("asc_nulls_last", "asc_nulls_last", "in ascending order, nulls last");
        e.Add("desc", "desc", "in descending order, nulls first");
        e.Add("desc_nulls_first", "desc_nulls_first", "in descending order, nulls first");
        e.Add("desc_nulls_last", "desc_nulls_last", "in descending order, nulls last");
        return e;
    }

    /// <summary><c>&lt;table&gt;_order_by</c>: a direction per column, and nested orderings through object relationships.</summary>
    public static InputObjectGraphType Build(TableInfo table, CatalogMetadata catalog)
    {
        var t = new InputObjectGraphType
        {
            Name = TypeNames.OrderBy(table.Name),
            Description = $"Ordering options when selecting data from \"{table.Name}\"."
        };
        foreach (var c in table.FilterableColumns)
            t.AddField(Field(c.Name, Named(TypeNames.OrderByEnum)));
        if (DistanceField.Column(table) is { } located && table.Access.Selects(located))
            t.AddField(Field(DistanceField.Name, Named(DistanceField.OrderByInput), "nearest first with {from, order: asc}"));
        foreach (var rel in table.Relationships)
        {
            if (rel.Kind == RelationshipKind.Object)
                t.AddField(Field(rel.Name, Named(TypeNames.OrderBy(rel.RemoteTable))));
            else if (catalog.Table(rel.RemoteTable).Access.AllowAggregations)
                t.AddField(Field($"{rel.Name}_aggregate", Named(TypeNames.AggregateOrderBy(rel.RemoteTable))));
        }
        return t;
    }

    public static InputObjectGraphType DistanceOrderBy()
    {
        var t = new InputObjectGraphType { Name = DistanceField.OrderByInput, Description = "order rows by their distance from a point" };
        t.AddField(Field("from", NonNull("geography"), "a GeoJSON point"));
        t.AddField(new FieldType { Name = "order", ResolvedType = Named(TypeNames.OrderByEnum), DefaultValue = "asc" });
        return t;
    }

    public static EnumerationGraphType SelectColumn(TableInfo table)
    {
        var e = new EnumerationGraphType
        {
            Name = TypeNames.SelectColumn(table.Name),
            Description = $"select columns of table \"{table.Name}\""
        };
        // distinct_on and aggregate arguments take these: columns the role reads on every row only.
        foreach (var c in table.FilterableColumns)
            e.Add(c.Name, c.Name, "column name");
        // An enum needs a value even when the role may name no column; the IR refuses this one.
        if (!e.Values.Any()) e.Add("_PLACEHOLDER", "_PLACEHOLDER", "placeholder (do not use)");
        return e;
    }
}
