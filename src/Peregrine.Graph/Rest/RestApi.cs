using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Transport.Http;

namespace Peregrine.Graph.Rest;

/// <summary>
/// Hasura's RESTified endpoints: <c>/api/rest/&lt;url&gt;</c> runs the saved operation with the same session and
/// permissions as <c>/v1/graphql</c> and answers its <c>data</c> object; errors are Hasura's REST errors
/// <c>{"code", "error", "path"}</c>. Variables come from the JSON body (POST/PUT/PATCH), then the query string,
/// then <c>:segments</c> (the later wins).
/// </summary>
public static class RestApi
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const int MaxSegments = 32;

    public static IEndpointRouteBuilder MapRestEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/rest/{**path}", ["GET", "POST", "PUT", "PATCH", "DELETE"], HandleAsync);
        app.MapGet("/api/swagger/json", (HttpContext http, RestEndpoints endpoints) =>
            Results.Text(OpenApiDocument.Build(endpoints.All, $"{http.Request.Scheme}://{http.Request.Host}"), "application/json; charset=utf-8"));
        return app;
    }

    private static async Task HandleAsync(HttpContext http, string? path, RestEndpoints endpoints, GraphQLExecutor executor,
        SessionResolver sessions, PeregrineOptions options)
    {
        var segments = (path ?? "").Trim('/').Split('/');
        if (segments.Length > MaxSegments || endpoints.Match(segments) is not ({ } _, var candidates))
        {
            await WriteErrorAsync(http, StatusCodes.Status404NotFound, "not-found", "Endpoint not found", "$");
            return;
        }
        var method = http.Request.Method.ToUpperInvariant();
        var endpoint = candidates.Where(e => e.Methods.Contains(method)).OrderByDescending(e => e.Literals).FirstOrDefault();
        if (endpoint is null)
        {
            http.Response.Headers.Allow = string.Join(", ", candidates.SelectMany(e => e.Methods).Distinct());
            await WriteErrorAsync(http, StatusCodes.Status405MethodNotAllowed, "method-not-allowed",
                $"the endpoint does not accept {method}", "$");
            return;
        }

        Session session;
        try { session = await sessions.ResolveAsync(http.Request.Headers, http.RequestAborted); }
        catch (HasuraError e) { await WriteErrorAsync(http, StatusFor(ErrorPhase.Authorization, e), e.Code, e.Message, e.Path); return; }

        JsonObject variables;
        try { variables = await VariablesAsync(http, endpoint, segments, options.MaxRequestBytes); }
        catch (HasuraError e) { await WriteErrorAsync(http, e is PayloadTooLarge ? 413 : 400, e.Code, e.Message, e.Path); return; }

        var request = new GraphQLRequest(endpoint.Query, endpoint.OperationName, variables, variables.ToJsonString());
        var result = await executor.ExecuteAsync(request, session, ExecutionMode.Http, http.RequestAborted);
        if (result.Data is { } data)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/json; charset=utf-8";
            await using var w = new Utf8JsonWriter(http.Response.BodyWriter, WriterOptions);
            w.WriteStartObject();
            foreach (var (key, json) in data.Fields)
            {
                w.WritePropertyName(key);
                json.WriteTo(w);
            }
            w.WriteEndObject();
            await w.FlushAsync();
            return;
        }
        var error = result.Errors[0];
        if (error is TooManyRequestsError limited)
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WriteErrorAsync(http, StatusFor(result.Phase, error), error.Code, error.Message, error.Path);
    }

    private static async Task<JsonObject> VariablesAsync(HttpContext http, RestEndpoint endpoint, string[] segments, long maxBytes)
    {
        var variables = new JsonObject();
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsDelete(http.Request.Method))
        {
            var body = await RequestBody.ReadAsync(http.Request, maxBytes, http.RequestAborted)
                ?? throw new PayloadTooLarge($"request body larger than {maxBytes} bytes");
            if (body.Length > 0 && !body.Span.Trim(" \t\r\n"u8).IsEmpty)
            {
                JsonNode? node;
                try { node = JsonNode.Parse(body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }); }
                catch (JsonException e) { throw new InvalidJsonError($"invalid JSON body: {e.Message}"); }
                if (node is not JsonObject o) throw new ValidationFailedError("expected the body to be a JSON object of variables", "$.variables");
                foreach (var (k, v) in o.ToList())
                {
                    o.Remove(k);
                    variables[k] = v;
                }
            }
        }
        foreach (var (key, values) in http.Request.Query)
        {
            // Parameters the operation does not declare are ignored, as Hasura does.
            if (endpoint.FindVariable(key) is { } variable && values.LastOrDefault() is { } text)
                variables[key] = RestVariables.FromText(variable, text);
        }
        for (var i = 0; i < segments.Length; i++)
            if (endpoint.Segments[i].Variable is { } name)
                variables[name] = RestVariables.FromText(endpoint.FindVariable(name)!, segments[i]);
        return variables;
    }

    private static int StatusFor(ErrorPhase phase, HasuraError error) => phase switch
    {
        ErrorPhase.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorPhase.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorPhase.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorPhase.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorPhase.Authorization => error.Code is "access-denied" ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized,
        _ when error.Code is "unexpected" => StatusCodes.Status500InternalServerError,
        _ when error.Code is "access-denied" or "permission-error" => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };

    internal static async Task WriteErrorAsync(HttpContext http, int status, string code, string message, string path)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var w = new Utf8JsonWriter(http.Response.BodyWriter, WriterOptions);
        w.WriteStartObject();
        w.WriteString("code", code);
        w.WriteString("error", message);
        w.WriteString("path", path);
        w.WriteEndObject();
        await w.FlushAsync();
    }

    private sealed class PayloadTooLarge(string message) : HasuraError("bad-request", message);
}
