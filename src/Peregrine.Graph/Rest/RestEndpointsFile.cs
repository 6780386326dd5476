using System.Text.Json;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Peregrine.Graph.Configuration;

namespace Peregrine.Graph.Rest;

/// <summary>
/// Reads <c>rest-endpoints.json</c> (PEREGRINE_REST_ENDPOINTS_FILE): <c>{"endpoints": [{name, url, methods,
/// operation}]}</c> or a bare array. <c>operation</c> is a GraphQL document, or a <c>.graphql</c> file path relative
/// to the JSON file. Every problem is an <see cref="InvalidSettingException"/> naming the endpoint, so a bad file
/// stops the server at start-up with one line.
/// </summary>
public static class RestEndpointsFile
{
    public const string Setting = "PEREGRINE_REST_ENDPOINTS_FILE";
    private static readonly string[] KnownMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private const int MaxEndpoints = 1000;
    private const int MaxOperationBytes = 100_000;

    public static IReadOnlyList<RestEndpoint> Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"cannot read the file ({e.Message})");
        }
        JsonElement root;
        try { root = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement; }
        catch (JsonException e) { throw Invalid(path, $"not JSON ({e.Message})"); }
        var list = root.ValueKind switch
        {
            JsonValueKind.Array => root,
            JsonValueKind.Object when root.TryGetProperty("endpoints", out var e) && e.ValueKind == JsonValueKind.Array => e,
            _ => throw Invalid(path, "expected {\"endpoints\": [...]} or an array of endpoints"),
        };
        if (list.GetArrayLength() > MaxEndpoints) throw Invalid(path, $"more than {MaxEndpoints} endpoints");

        var endpoints = new List<RestEndpoint>();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"endpoint {i++}";
            endpoints.Add(Endpoint(item, folder, path, ref at));
        }
        CheckUnique(endpoints, path);
        return endpoints;
    }

    private static RestEndpoint Endpoint(JsonElement item, string folder, string path, ref string at)
    {
        if (item.ValueKind != JsonValueKind.Object) throw Invalid(path, $"{at}: expected an object");
        var name = Str(item, "name", path, at);
        at = $"endpoint \"{name}\"";
        var url = Str(item, "url", path, at).Trim('/');
        if (url.Length == 0 || url.Contains("//") || url.Contains('?') || url.Contains('#'))
            throw Invalid(path, $"{at}: url must be a path like \"phenoms/:id\" (no query string)");
        if (!item.TryGetProperty("methods", out var m) || m.ValueKind != JsonValueKind.Array || m.GetArrayLength() == 0)
            throw Invalid(path, $"{at}: \"methods\" must be a non-empty array such as [\"GET\"]");
        var methods = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in m.EnumerateArray())
        {
            var verb = method.ValueKind == JsonValueKind.String ? method.GetString()!.ToUpperInvariant() : "";
            if (!KnownMethods.Contains(verb)) throw Invalid(path, $"{at}: method {method} is not one of {string.Join(", ", KnownMethods)}");
            methods.Add(verb);
        }

        var operation = Str(item, "operation", path, at);
        if (!operation.Contains('{') && operation.EndsWith(".graphql", StringComparison.OrdinalIgnoreCase))
        {
            var file = Path.GetFullPath(Path.Combine(folder, operation));
            try { operation = File.ReadAllText(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Invalid(path, $"{at}: cannot read operation file {operation} ({e.Message})");
            }
        }
        if (operation.Length > MaxOperationBytes) throw Invalid(path, $"{at}: operation longer than {MaxOperationBytes} characters");
        var (query, op) = ParseOperation(operation, path, at);

        var variables = (op.Variables?.Items ?? []).Select(v =>
            new RestVariable(v.Variable.Name.StringValue, v.Type, v.DefaultValue is not null)).ToList();
        var segments = url.Split('/').Select(s => s.StartsWith(':') ? new RestSegment(s, s[1..]) : new RestSegment(s, null)).ToList();
        foreach (var s in segments.Where(s => s.Variable is not null))
        {
            if (variables.All(v => v.Name != s.Variable))
                throw Invalid(path, $"{at}: url segment {s.Text} names no variable of the operation");
            if (variables.First(v => v.Name == s.Variable).IsList)
                throw Invalid(path, $"{at}: url segment {s.Text} is a list variable; pass lists in the query string or body");
        }
        if (op.Operation == OperationType.Mutation && methods.Contains("GET"))
            throw Invalid(path, $"{at}: a mutation cannot be served with GET");
        return new RestEndpoint(name, url, segments, methods, query, op.Name?.StringValue, op.Operation, variables);
    }

    // Exactly one operation; a subscription's keyword becomes `query` (REST answers its current result once).
    private static (string Query, GraphQLOperationDefinition Operation) ParseOperation(string text, string path, string at)
    {
        GraphQLDocument document;
        try { document = Parser.Parse(text, new ParserOptions { Ignore = IgnoreOptions.Comments }); }
        catch (GraphQLParserException e) { throw Invalid(path, $"{at}: the operation is not valid GraphQL ({e.Message.ReplaceLineEndings(" ")})"); }
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        if (operations.Count != 1) throw Invalid(path, $"{at}: the operation document must hold exactly one operation (it holds {operations.Count})");
        var op = operations[0];
        if (op.Operation != OperationType.Subscription) return (text, op);
        var start = op.Location.Start;
        if (!text.AsSpan(start).StartsWith("subscription", StringComparison.Ordinal))
            throw Invalid(path, $"{at}: cannot find the subscription keyword");
        return (text[..start] + "query" + text[(start + "subscription".Length)..], op);
    }

    private static void CheckUnique(List<RestEndpoint> endpoints, string path)
    {
        foreach (var dup in endpoints.GroupBy(e => e.Name).Where(g => g.Count() > 1))
            throw Invalid(path, $"two endpoints are named \"{dup.Key}\"");
        // Same shape (variables compared as wildcards) and a shared method: the second one could never be reached.
        for (var a = 0; a < endpoints.Count; a++)
            for (var b = a + 1; b < endpoints.Count; b++)
            {
                var (x, y) = (endpoints[a], endpoints[b]);
                if (Shape(x) == Shape(y) && x.Methods.Overlaps(y.Methods))
                    throw Invalid(path, $"endpoints \"{x.Name}\" and \"{y.Name}\" serve the same url and method");
            }
    }

    private static string Shape(RestEndpoint e) => string.Join('/', e.Segments.Select(s => s.Variable is null ? s.Text : ":"));

    private static string Str(JsonElement item, string key, string path, string at) =>
        item.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()!
            : throw Invalid(path, $"{at}: \"{key}\" must be a non-empty string");

    private static InvalidSettingException Invalid(string path, string why) => new(Setting, path, why);
}
