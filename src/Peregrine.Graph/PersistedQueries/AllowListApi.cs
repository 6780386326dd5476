using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Rest;
using Peregrine.Graph.Transport.Http;

namespace Peregrine.Graph.PersistedQueries;

/// <summary>
/// Admin only: <c>GET /v1/allow-list</c> lists the added documents; <c>POST</c> <c>{"query", "name"?}</c> adds one
/// (answers its hash); <c>DELETE /v1/allow-list/{hash or name}</c> removes it. Errors are <c>{code, error, path}</c>.
/// </summary>
public static class AllowListApi
{
    private const long MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapAllowListApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/allow-list", async (HttpContext http, AllowList list, SessionResolver sessions) =>
        {
            if (!await IsAdminAsync(http, sessions)) return;
            var items = await list.ListAsync(http.RequestAborted);
            await http.Response.WriteAsJsonAsync(new
            {
                enabled = list.Enabled,
                queries = items.Select(i => new { hash = i.Hash, name = i.Name, query = i.Query }),
            });
        });
        app.MapPost("/v1/allow-list", async (HttpContext http, AllowList list, SessionResolver sessions) =>
        {
            if (!await IsAdminAsync(http, sessions)) return;
            var body = await RequestBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            if (body is null) { await RestApi.WriteErrorAsync(http, 413, "bad-request", $"body larger than {MaxBodyBytes} bytes", "$"); return; }
            JsonObject? o;
            try { o = JsonNode.Parse(body.Value.Span) as JsonObject; }
            catch (JsonException e) { await RestApi.WriteErrorAsync(http, 400, "invalid-json", e.Message, "$"); return; }
            if (o?["query"] is not JsonValue q || !q.TryGetValue<string>(out var query) || query.Length == 0)
            {
                await RestApi.WriteErrorAsync(http, 400, "parse-failed", "key \"query\" not found", "$.query");
                return;
            }
            var name = o["name"] is JsonValue n && n.TryGetValue<string>(out var s) ? s : null;
            try
            {
                var (hash, _) = await list.AddAsync(query, name, http.RequestAborted);
                await http.Response.WriteAsJsonAsync(new { hash, name });
            }
            catch (HasuraError e) { await RestApi.WriteErrorAsync(http, 400, e.Code, e.Message, e.Path); }
        });
        app.MapDelete("/v1/allow-list/{key}", async (HttpContext http, string key, AllowList list, SessionResolver sessions) =>
        {
            if (!await IsAdminAsync(http, sessions)) return;
            var removed = await list.RemoveAsync(key, http.RequestAborted);
            if (removed == 0) { await RestApi.WriteErrorAsync(http, 404, "not-found", "no such query in the allow-list", "$"); return; }
            await http.Response.WriteAsJsonAsync(new { removed });
        });
        return app;
    }

    private static async Task<bool> IsAdminAsync(HttpContext http, SessionResolver sessions)
    {
        try
        {
            if ((await sessions.ResolveAsync(http.Request.Headers, http.RequestAborted)).IsAdmin) return true;
            await RestApi.WriteErrorAsync(http, 403, "access-denied", "the allow-list API is for the admin role only", "$");
        }
        catch (HasuraError e) { await RestApi.WriteErrorAsync(http, 403, e.Code, e.Message, e.Path); }
        return false;
    }
}
