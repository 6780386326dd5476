using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Peregrine.Graph.Auth;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Limits;
using Peregrine.Graph.Ir;
using Peregrine.Graph.PersistedQueries;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Transport.Http;

/// <summary><c>/v1/graphql</c> over HTTP: POST (single or batched) and GET (queries only).</summary>
public static class GraphQLHttpApi
{
    public static IEndpointRouteBuilder MapGraphQLHttpApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/graphql", HandlePostAsync);
        app.MapGet("/v1/graphql", HandleGetAsync);
        return app;
    }

    private static async Task HandlePostAsync(HttpContext http, GraphQLExecutor executor, SessionResolver sessions, PeregrineOptions options,
        AutomaticPersistedQueries apq)
    {
        if (await ResolveSessionAsync(http, sessions) is not { } session) return;

        // Read only by FromBody, which copies what it keeps: the rented buffer goes back when the request ends.
        using var body = await RequestBody.ReadPooledAsync(http.Request, options.MaxRequestBytes, http.RequestAborted);
        if (body is null)
        {
            await GraphQLResponseWriter.WriteErrorAsync(http,
                new BadRequestError($"request body larger than {options.MaxRequestBytes} bytes"), ErrorPhase.PayloadTooLarge);
            return;
        }

        List<GraphQLRequest> requests;
        bool isBatch;
        try { (requests, isBatch) = GraphQLRequestReader.FromBody(body.Memory); }
        catch (HasuraError e) { await GraphQLResponseWriter.WriteErrorAsync(http, e, ErrorPhase.Request); return; }

        var limits = executor.LimitsFor(session!);
        if (requests.Count > limits.MaxBatch)
        {
            await GraphQLResponseWriter.WriteErrorAsync(http, RequestLimitErrors.Batch(requests.Count, limits, session!.IsAdmin), ErrorPhase.Validation);
            return;
        }
        var budget = new ResponseBudget(limits, session!.IsAdmin);
        if (!isBatch)
        {
            var result = await ExecuteAsync(apq, executor, requests[0], session!, ExecutionMode.Http, http.RequestAborted);
            await GraphQLResponseWriter.WriteAsync(http, [budget.Spend(result)], isBatch: false);
            return;
        }
        // Each operation's answer goes out before the next one runs: a batch never sits whole in memory.
        await GraphQLResponseWriter.WriteBatchAsync(http, requests.Count, async i =>
            budget.Spend(await ExecuteAsync(apq, executor, requests[i], session!, ExecutionMode.Http, http.RequestAborted)));
    }

    private static async Task HandleGetAsync(HttpContext http, GraphQLExecutor executor, SessionResolver sessions, AutomaticPersistedQueries apq)
    {
        if (await ResolveSessionAsync(http, sessions) is not { } session) return;
        GraphQLRequest request;
        try
        {
            var q = http.Request.Query;
            request = GraphQLRequestReader.FromQueryString(q["query"], q["operationName"], q["variables"], q["extensions"]);
        }
        catch (HasuraError e) { await GraphQLResponseWriter.WriteErrorAsync(http, e, ErrorPhase.Request); return; }

        var result = new ResponseBudget(executor.LimitsFor(session!), session!.IsAdmin)
            .Spend(await ExecuteAsync(apq, executor, request, session!, ExecutionMode.HttpGet, http.RequestAborted));
        if (result.Phase == ErrorPhase.MethodNotAllowed) http.Response.Headers.Allow = "POST";
        await GraphQLResponseWriter.WriteAsync(http, [result], isBatch: false);
    }

    // A persisted query's text is looked up (or registered) first; PersistedQueryNotFound is answered with 200, as Apollo expects.
    private static async Task<GraphQLResult> ExecuteAsync(AutomaticPersistedQueries apq, GraphQLExecutor executor, GraphQLRequest request,
        Session session, ExecutionMode mode, CancellationToken ct)
    {
        var (resolved, error) = await apq.ResolveAsync(request, ct);
        if (error is not null)
            return GraphQLResult.Failed(error, error is PersistedQueryNotFoundError or PersistedQueryNotSupportedError ? ErrorPhase.Execution : ErrorPhase.Request);
        return await executor.ExecuteAsync(resolved, session, mode, ct);
    }

    /// <summary>The request's session; null once the refusal has been written.</summary>
    private static async Task<Session?> ResolveSessionAsync(HttpContext http, SessionResolver sessions)
    {
        try { return await sessions.ResolveAsync(http.Request.Headers, http.RequestAborted); }
        catch (HasuraError e)
        {
            await GraphQLResponseWriter.WriteErrorAsync(http, e, ErrorPhase.Authorization);
            return null;
        }
    }
}
