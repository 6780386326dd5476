using GraphQL.Types;

namespace Peregrine.Graph.Schema;

/// <summary>Shorthands for wiring generated types to each other by name; the schema resolves them.</summary>
internal static class TypeRefs
{
    public static IGraphType Named(string name) => new GraphQLTypeReference(name);
    public static IGraphType NonNull(string name) => new NonNullGraphType(Named(name));
    public static IGraphType ListOfNonNull(string name) => new ListGraphType(NonNull(name));
    public static IGraphType NonNullListOfNonNull(string name) => new NonNullGraphType(ListOfNonNull(name));

    public static FieldType Field(string name, IGraphType type, string? description = null, QueryArguments? args = null) =>
        new() { Name = name, ResolvedType = type, Description = description, Arguments = args };

    public static QueryArgument Arg(string name, IGraphType type, string? description = null) =>
        new(type) { Name = name, Description = description };
}
