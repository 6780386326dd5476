using GraphQL.Types;
using Peregrine.Graph.Metadata;
using static Peregrine.Graph.Schema.TypeRefs;

namespace Peregrine.Graph.Schema;

/// <summary><c>&lt;table&gt;_bool_exp</c>: column comparisons, relationships, and the logical connectives.</summary>
internal static class BoolExpTypes
{
    public static InputObjectGraphType Build(TableInfo table, CatalogMetadata catalog)
    {
        var name = TypeNames.BoolExp(table.Name);
        var t = new InputObjectGraphType
        {
            Name = name,
            Description = $"Boolean expression to filter rows from the table \"{table.Name}\". All fields are combined with a logical 'AND'."
        };
        t.AddField(Field("_and", ListOfNonNull(name)));
        t.AddField(Field("_not", Named(name)));
        t.AddField(Field("_or", ListOfNonNull(name)));
        foreach (var c in table.FilterableColumns)
            t.AddField(Field(c.Name, Named(catalog.H3Columns(table.Name)?.IndexColumn == c.Name
                ? ComparisonExpTypes.H3Comparison
                : TypeNames.Comparison(c.Scalar))));
        foreach (var rel in table.Relationships)
        {
            t.AddField(Field(rel.Name, Named(TypeNames.BoolExp(rel.RemoteTable))));
            if (rel.Kind != RelationshipKind.Object && catalog.Table(rel.RemoteTable).Access.AllowAggregations)
                t.AddField(Field($"{rel.Name}_aggregate", Named(TypeNames.AggregateBoolExp(rel.RemoteTable))));
        }
        return t;
    }
}
