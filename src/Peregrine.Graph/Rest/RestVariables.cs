using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Rest;

/// <summary>
/// Turns URL text (a <c>:segment</c> or a query-string value) into the JSON value the operation's variable
/// type expects: numbers for <c>Int</c>/<c>Float</c>/<c>bigint</c>, booleans, parsed JSON for lists, input objects
/// and <c>jsonb</c>/<c>geography</c>, the text itself for every other scalar (<c>String</c>, <c>uuid</c>,
/// <c>timestamptz</c>…). Values the type cannot take are refused here with the variable's path; the rest of the
/// checking is GraphQL's own variable validation.
/// </summary>
public static class RestVariables
{
    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal) { "Int", "bigint", "smallint", "integer" };
    private static readonly HashSet<string> Decimals = new(StringComparer.Ordinal) { "Float", "numeric", "float8", "float4", "real" };
    private static readonly HashSet<string> JsonScalars = new(StringComparer.Ordinal) { "jsonb", "json", "geography", "geometry" };

    public static JsonNode? FromText(RestVariable variable, string text)
    {
        var type = variable.NamedType;
        var path = "$.variables." + variable.Name;
        if (variable.IsList || JsonScalars.Contains(type) || IsInputObject(type)) return ParseJson(text, variable, path);
        if (text == "null" && variable.Type is not GraphQLParser.AST.GraphQLNonNullType) return null;
        if (Integers.Contains(type))
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                ? JsonValue.Create(n) : throw Expected(variable, "an integer", path);
        if (Decimals.Contains(type))
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? JsonValue.Create(d) : throw Expected(variable, "a number", path);
        if (type == "Boolean")
            return text switch
            {
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                _ => throw Expected(variable, "true or false", path),
            };
        return JsonValue.Create(text);
    }

    // Generated input types all end so (Hasura's names); scalars never do.
    private static bool IsInputObject(string type) =>
        type.EndsWith("_input", StringComparison.Ordinal) || type.EndsWith("_bool_exp", StringComparison.Ordinal)
        || type.EndsWith("_order_by", StringComparison.Ordinal) || type.EndsWith("_args", StringComparison.Ordinal)
        || type.EndsWith("_comparison_exp", StringComparison.Ordinal) || type.EndsWith("_pk_columns_input", StringComparison.Ordinal);

    private static JsonNode? ParseJson(string text, RestVariable variable, string path)
    {
        try { return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException) { throw Expected(variable, "JSON", path); }
    }

    private static ValidationFailedError Expected(RestVariable v, string what, string path) =>
        new($"variable \"{v.Name}\" of type {v.TypeText} expects {what}", path);
}
