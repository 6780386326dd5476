using GraphQLParser.AST;
using GraphQL.Types;

namespace Peregrine.Graph.Schema.Scalars;

/// <summary>
/// A scalar carried as a string (uuid, timestamptz, ...). Its format is checked by PostgreSQL's own
/// input function when the value is bound, so a bad value fails the way Hasura's does
/// (<c>data-exception</c>, "invalid input syntax for type uuid").
/// </summary>
public sealed class TextScalar : ScalarGraphType
{
    public TextScalar(string name, string? description = null)
    {
        Name = name;
        Description = description;
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue s => (string)s.Value,
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value)
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => ThrowValueConversionError(value)
    };

    public override object? Serialize(object? value) => value?.ToString();
}
