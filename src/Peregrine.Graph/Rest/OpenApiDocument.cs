using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Observability;

namespace Peregrine.Graph.Rest;

/// <summary>
/// The OpenAPI 3 description of the REST endpoints (<c>GET /api/swagger/json</c>, as Hasura serves one): a path
/// per url (<c>:id</c> → <c>{id}</c>), per method its variables as path and query parameters, and for methods with
/// a body a JSON object of the rest; schemas follow the variables' GraphQL types.
/// </summary>
public static class OpenApiDocument
{
    public static string Build(IReadOnlyList<RestEndpoint> endpoints, string serverUrl)
    {
        var paths = new JsonObject();
        foreach (var e in endpoints)
        {
            var key = "/api/rest/" + string.Join('/', e.Segments.Select(s => s.Variable is null ? s.Text : "{" + s.Variable + "}"));
            if (paths[key] is not JsonObject item) paths[key] = item = new JsonObject();
            foreach (var method in e.Methods.OrderBy(m => m)) item[method.ToLowerInvariant()] = Operation(e, method);
        }
        var doc = new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Peregrine REST endpoints",
                ["version"] = VersionApi.Version,
                ["description"] = "Saved GraphQL operations served as REST. Each answers the operation's data object; errors are {code, error, path}.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = serverUrl }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                    ["adminSecret"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-hasura-admin-secret" },
                },
                ["schemas"] = new JsonObject
                {
                    ["Error"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("code", "error", "path"),
                        ["properties"] = new JsonObject
                        {
                            ["code"] = new JsonObject { ["type"] = "string" },
                            ["error"] = new JsonObject { ["type"] = "string" },
                            ["path"] = new JsonObject { ["type"] = "string" },
                        },
                    },
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }, new JsonObject { ["adminSecret"] = new JsonArray() }, new JsonObject()),
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Operation(RestEndpoint e, string method)
    {
        var inPath = e.Segments.Where(s => s.Variable is not null).Select(s => s.Variable!).ToHashSet();
        var hasBody = method is not ("GET" or "DELETE");
        var parameters = new JsonArray();
        var bodyProperties = new JsonObject();
        var bodyRequired = new JsonArray();
        foreach (var v in e.Variables)
        {
            if (inPath.Contains(v.Name))
                parameters.Add(new JsonObject { ["name"] = v.Name, ["in"] = "path", ["required"] = true, ["schema"] = Schema(v.Type, nonNull: false) });
            else if (hasBody)
            {
                bodyProperties[v.Name] = Schema(v.Type, nonNull: false);
                if (v.Required) bodyRequired.Add(v.Name);
            }
            else
                parameters.Add(new JsonObject
                {
                    ["name"] = v.Name, ["in"] = "query", ["required"] = v.Required, ["schema"] = Schema(v.Type, nonNull: false),
                    ["description"] = $"GraphQL type {v.TypeText}" + (IsJson(v) ? " (as JSON text)" : ""),
                });
        }
        var op = new JsonObject
        {
            ["operationId"] = e.Methods.Count == 1 ? e.Name : $"{e.Name}_{method.ToLowerInvariant()}",
            ["summary"] = $"{e.OperationType.ToString().ToLowerInvariant()} {e.OperationName ?? e.Name}",
            ["tags"] = new JsonArray(e.OperationType == OperationType.Mutation ? "mutations" : "queries"),
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "the operation's data",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
                },
                ["400"] = ErrorResponse("bad variables, validation failed, or a database constraint"),
                ["401"] = ErrorResponse("bad or missing credentials"),
                ["404"] = ErrorResponse("no such endpoint"),
            },
        };
        if (hasBody)
        {
            var schema = new JsonObject { ["type"] = "object", ["properties"] = bodyProperties };
            if (bodyRequired.Count > 0) schema["required"] = bodyRequired;
            op["requestBody"] = new JsonObject
            {
                ["required"] = bodyRequired.Count > 0,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
            };
        }
        return op;
    }

    private static bool IsJson(RestVariable v) => v.IsList || v.NamedType is "jsonb" or "json" or "geography" or "geometry" || v.NamedType.Contains('_');

    private static JsonObject ErrorResponse(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Error" } } },
    };

    // nullable is OpenAPI 3.0's way to say a value may be null; non-null GraphQL types drop it.
    private static JsonObject Schema(GraphQLType type, bool nonNull)
    {
        JsonObject s;
        switch (type)
        {
            case GraphQLNonNullType n: return Schema(n.Type, nonNull: true);
            case GraphQLListType l: s = new JsonObject { ["type"] = "array", ["items"] = Schema(l.Type, nonNull: false) }; break;
            case GraphQLNamedType n: s = Scalar(n.Name.StringValue); break;
            default: s = new JsonObject(); break;
        }
        if (!nonNull) s["nullable"] = true;
        return s;
    }

    private static JsonObject Scalar(string name) => name switch
    {
        "Int" or "smallint" or "integer" => new JsonObject { ["type"] = "integer", ["format"] = "int32" },
        "bigint" => new JsonObject { ["type"] = "integer", ["format"] = "int64" },
        "Float" or "float8" or "numeric" => new JsonObject { ["type"] = "number" },
        "Boolean" => new JsonObject { ["type"] = "boolean" },
        "String" or "ID" or "citext" => new JsonObject { ["type"] = "string" },
        "uuid" => new JsonObject { ["type"] = "string", ["format"] = "uuid" },
        "timestamptz" or "timestamp" => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
        "date" => new JsonObject { ["type"] = "string", ["format"] = "date" },
        "jsonb" or "json" => new JsonObject { ["description"] = "any JSON value" },
        "geography" or "geometry" => new JsonObject { ["type"] = "object", ["description"] = "a GeoJSON geometry" },
        _ => new JsonObject { ["type"] = "object", ["description"] = $"GraphQL input {name}" },
    };
}
