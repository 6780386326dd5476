using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary>The output type of a table: its columns and its relationships.</summary>
internal static class TableObjectTypes
{
    public static ObjectGraphType Build(TableInfo table, CatalogMetadata catalog)
    {
        var t = new ObjectGraphType { Name = table.Name, Description = $"columns and relationships of \"{table.Name}\"" };
        foreach (var c in table.SelectableColumns)
            t.AddField(Field(c.Name, c.IsNullable || table.Access.Rules?.Select?.ColumnFilters.ContainsKey(c.Name) == true
                ? Named(c.Scalar) : NonNull(c.Scalar)));

        if (DistanceField.Column(table) is { } located && table.Access.Selects(located))
            t.AddField(Field(DistanceField.Name, Named("Float"),
                $"distance in metres from the point `from` to \"{located.Name}\" (spheroid unless use_spheroid is false)",
                new QueryArguments(
                    Arg("from", NonNull("geography"), "a GeoJSON point"),
                    new QueryArgument(Named("Boolean")) { Name = "use_spheroid", DefaultValue = true })));

        foreach (var rel in table.Relationships)
        {
            if (rel.Kind == RelationshipKind.Object)
            {
                var required = rel.LocalHoldsForeignKey && rel.LocalColumns.All(col => !table.Column(col).IsNullable);
                t.AddField(Field(rel.Name, required ? NonNull(rel.RemoteTable) : Named(rel.RemoteTable),
                    "An object relationship"));
            }
            else
            {
                t.AddField(Field(rel.Name, NonNullListOfNonNull(rel.RemoteTable),
                    rel.Kind == RelationshipKind.ManyToMany ? "A many-to-many relationship" : "An array relationship",
                    RootFieldArguments.ForSelect(catalog.Table(rel.RemoteTable))));
                if (catalog.Table(rel.RemoteTable).Access.AllowAggregations)
                    t.AddField(Field($"{rel.Name}_aggregate", NonNull(TypeNames.Aggregate(rel.RemoteTable)),
                        "An aggregate relationship", RootFieldArguments.ForSelect(catalog.Table(rel.RemoteTable))));
            }
        }
        foreach (var f in SensorTypes.RelationshipFields(table, catalog)) t.AddField(f);
        return t;
    }
}
