using System.Globalization;
using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace Peregrine.Graph.Ir;

/// <summary>
/// Turns an argument's GraphQL literal, with variables substituted as the client sent them, into JSON.
/// JSON keeps the key order the client wrote, which <c>order_by</c> objects depend on. GraphQL.NET has
/// already validated every value against its type, so this only converts.
/// </summary>
public static class ValueReader
{
    public static JsonNode? Read(GraphQLValue value, RequestScope scope) => value switch
    {
        GraphQLNullValue => null,
        GraphQLVariable v => scope.Variables.TryGetValue(v.Name.StringValue, out var node) ? node?.DeepClone() : null,
        GraphQLIntValue i => long.TryParse(i.Value.Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? JsonValue.Create(l)
            : JsonNode.Parse(i.Value.ToString()),
        GraphQLFloatValue f => JsonNode.Parse(f.Value.ToString()),
        GraphQLStringValue s => JsonValue.Create(s.Value.ToString()),
        GraphQLBooleanValue b => JsonValue.Create(b.BoolValue),
        GraphQLEnumValue e => JsonValue.Create(e.Name.StringValue),
        GraphQLListValue l => new JsonArray((l.Values ?? []).Select(x => Read(x, scope)).ToArray()),
        GraphQLObjectValue o => ReadObject(o, scope),
        _ => throw new NotSupportedException(value.GetType().Name)
    };

    private static JsonObject ReadObject(GraphQLObjectValue o, RequestScope scope)
    {
        var obj = new JsonObject();
        foreach (var f in o.Fields ?? [])
            obj[f.Name.StringValue] = Read(f.Value, scope);
        return obj;
    }

    /// <summary>The arguments of a field as one JSON object (missing arguments absent).</summary>
    public static JsonObject Arguments(GraphQLField field, RequestScope scope)
    {
        var obj = new JsonObject();
        foreach (var a in field.Arguments?.Items ?? [])
        {
            // An unset variable means the argument was not given (GraphQL spec, CoerceArgumentValues).
            if (a.Value is GraphQLVariable v && !scope.Variables.ContainsKey(v.Name.StringValue)) continue;
            obj[a.Name.StringValue] = Read(a.Value, scope);
        }
        return obj;
    }
}
