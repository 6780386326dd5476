using GraphQLParser.AST;
using GraphQL.Types;

namespace Peregrine.Graph.Schema.Scalars;

/// <summary>
/// A scalar whose values are arbitrary JSON: <c>jsonb</c>, and <c>geography</c>/<c>geometry</c> as
/// GeoJSON objects. GraphQL literals of any shape are accepted; the compiler reads the value itself.
/// </summary>
public sealed class JsonValueScalar : ScalarGraphType
{
    private readonly bool _objectsOnly;

    public JsonValueScalar(string name, bool objectsOnly = false, string? description = null)
    {
        Name = name;
        _objectsOnly = objectsOnly;
        Description = description;
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLObjectValue o => o,
        GraphQLVariable => ThrowLiteralConversionError(value),
        _ when _objectsOnly => ThrowLiteralConversionError(value),
        _ => value
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        IDictionary<string, object?> => value,
        _ when _objectsOnly => ThrowValueConversionError(value),
        _ => value
    };

    public override bool CanParseLiteral(GraphQLValue value) => value is not GraphQLVariable
        && (!_objectsOnly || value is GraphQLObjectValue or GraphQLNullValue);

    public override object? Serialize(object? value) => value;
}
