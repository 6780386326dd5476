using System.Globalization;
using System.Numerics;
using GraphQLParser.AST;
using GraphQL.Types;

namespace Peregrine.Graph.Schema.Scalars;

/// <summary><c>bigint</c> and <c>numeric</c>: numbers, or strings holding one (for values beyond 2^53).</summary>
public sealed class NumberScalar : ScalarGraphType
{
    private readonly bool _integral;

    public NumberScalar(string name, bool integral)
    {
        Name = name;
        _integral = integral;
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLIntValue i => BigInteger.Parse(i.Value.Span, CultureInfo.InvariantCulture),
        GraphQLFloatValue f when !_integral => decimal.Parse(f.Value.Span, NumberStyles.Float, CultureInfo.InvariantCulture),
        GraphQLStringValue s when IsNumber((string)s.Value) => (string)s.Value,
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value)
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        int or long or BigInteger => value,
        double or decimal or float when !_integral => value,
        string s when IsNumber(s) => s,
        _ => ThrowValueConversionError(value)
    };

    public override object? Serialize(object? value) => value;

    private bool IsNumber(string s) => _integral
        ? BigInteger.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
        : decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
