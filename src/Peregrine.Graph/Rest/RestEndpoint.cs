using GraphQLParser.AST;

namespace Peregrine.Graph.Rest;

/// <summary>
/// One saved operation served at <c>/api/rest/&lt;url&gt;</c>, parsed once at start-up. A subscription is kept
/// with its keyword turned into <c>query</c>: over REST it answers its current result once, as in Hasura.
/// </summary>
public sealed record RestEndpoint(
    string Name,
    string Url,
    IReadOnlyList<RestSegment> Segments,
    IReadOnlySet<string> Methods,
    string Query,
    string? OperationName,
    OperationType OperationType,
    IReadOnlyList<RestVariable> Variables)
{
    /// <summary>How specific the route is: literal segments beat <c>:variable</c> ones (<c>phenoms/recent</c> before <c>phenoms/:id</c>).</summary>
    public int Literals { get; } = Segments.Count(s => s.Variable is null);

    public RestVariable? FindVariable(string name) => Variables.FirstOrDefault(v => v.Name == name);
}

/// <summary>A URL segment: a literal, or (<see cref="Variable"/> set) a <c>:name</c> that fills that variable.</summary>
public sealed record RestSegment(string Text, string? Variable);

/// <summary>A variable the operation declares: its name and GraphQL type (e.g. <c>Int!</c>, <c>[uuid!]</c>).</summary>
public sealed record RestVariable(string Name, GraphQLType Type, bool HasDefault)
{
    public bool Required => Type is GraphQLNonNullType && !HasDefault;

    /// <summary>The named type under any list and non-null wrappers.</summary>
    public string NamedType => Named(Type);

    /// <summary>The type as GraphQL writes it, e.g. <c>[uuid!]!</c>.</summary>
    public string TypeText => Text(Type);

    public bool IsList => (Type is GraphQLNonNullType n ? n.Type : Type) is GraphQLListType;

    private static string Text(GraphQLType t) => t switch
    {
        GraphQLNonNullType n => Text(n.Type) + "!",
        GraphQLListType l => "[" + Text(l.Type) + "]",
        GraphQLNamedType n => n.Name.StringValue,
        _ => "?",
    };

    private static string Named(GraphQLType t) => t switch
    {
        GraphQLNonNullType n => Named(n.Type),
        GraphQLListType l => Named(l.Type),
        GraphQLNamedType n => n.Name.StringValue,
        _ => "String",
    };
}
