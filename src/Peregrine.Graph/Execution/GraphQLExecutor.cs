using System.Collections.Concurrent;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution.Admission;
using Peregrine.Graph.Execution.Plans;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Execution;

/// <summary>
/// Parses (with a cache of documents by text), validates with GraphQL.NET, then executes through
/// <see cref="DatabaseExecutionStrategy"/>. Never throws for bad input: every failure is a Hasura error.
/// </summary>
public sealed class GraphQLExecutor
{
    private const int MaxCachedDocuments = 2048;
    private static readonly GraphQLSerializer Serializer = new();
    private readonly SchemaRegistry _schemas;
    private readonly DocumentExecuter _executer;
    private readonly QueryPlanCache _plans;
    private readonly SqlRunner _runner;
    private readonly QueryAdmission _admission;
    private readonly ILogger<GraphQLExecutor> _logger;
    private readonly ConcurrentDictionary<string, GraphQLDocument> _documents = new();

    public GraphQLExecutor(SchemaRegistry schemas, DatabaseExecutionStrategy strategy, QueryPlanCache plans, SqlRunner runner,
        QueryAdmission admission, ILogger<GraphQLExecutor> logger)
    {
        _schemas = schemas;
        _plans = plans;
        _runner = runner;
        _admission = admission;
        _logger = logger;
        _executer = new DocumentExecuter(new GraphQLDocumentBuilder(), new DocumentValidator(),
            new FixedStrategySelector(strategy), []);
    }

    public async Task<GraphQLResult> ExecuteAsync(GraphQLRequest request, Session session, ExecutionMode mode, CancellationToken ct)
    {
        GraphQLDocument document;
        try { document = Parse(request.Query); }
        catch (GraphQLMaxDepthExceededException)
        {
            // The parser refuses documents nested past its depth limit (so they cannot overflow the stack);
            // this is not a GraphQLSyntaxErrorException, and uncaught it became a 500 with a stack trace.
            return GraphQLResult.Failed(new ValidationFailedError("query nesting too deep", "$.query"), ErrorPhase.Validation);
        }
        catch (GraphQLSyntaxErrorException e)
        {
            return GraphQLResult.Failed(new ValidationFailedError($"not a valid graphql query: {e.Description}", "$.query"), ErrorPhase.Validation);
        }

        var planKey = mode == ExecutionMode.LiveQuery ? null : QueryPlanCache.OperationKey(request, session);
        try
        {
            if (planKey is not null && _plans.Find(planKey, request) is { } plan)
                return GraphQLResult.Ok(await RunPlanAsync(plan, request, session, ct));
            var schema = _schemas.For(session);
            var result = await _executer.ExecuteAsync(new ExecutionOptions
            {
                Schema = schema.Schema,
                Document = document,
                Query = request.Query,
                OperationName = request.OperationName,
                Variables = request.VariablesJson is null ? null : Serializer.Deserialize<Inputs>(request.VariablesJson),
                UserContext = new RequestContext { Session = session, Schema = schema, Variables = request.Variables, Mode = mode, PlanKey = planKey },
                ThrowOnUnhandledException = true,
                CancellationToken = ct,
            });
            if (result.Errors is { Count: > 0 })
                return new GraphQLResult(null, result.Errors.Select(ToHasura).ToList(), ErrorPhase.Validation);
            return GraphQLResult.Ok((RawJsonData)result.Data!);
        }
        catch (MethodNotAllowedError e) { return GraphQLResult.Failed(e, ErrorPhase.MethodNotAllowed); }
        catch (ValidationFailedError e) { return GraphQLResult.Failed(e, ErrorPhase.Validation); }
        catch (TooManyRequestsError e) { return GraphQLResult.Failed(e, ErrorPhase.RateLimited); }
        catch (PostgresError e) { return GraphQLResult.Failed(e, ErrorPhase.Unavailable); }
        catch (NpgsqlException e) when (PostgresErrors.IsUnavailable(e))
        {
            _logger.LogWarning("PostgreSQL unavailable: {Message}", e.Message);
            return GraphQLResult.Failed(PostgresErrors.Unavailable(e), ErrorPhase.Unavailable);
        }
        catch (HasuraError e) { return GraphQLResult.Failed(e, ErrorPhase.Execution); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (Exception e)
        {
            _logger.LogError(e, "unexpected error executing operation {OperationName}", request.OperationName);
            return GraphQLResult.Failed(new UnexpectedError("unexpected error while executing the request"), ErrorPhase.Execution);
        }
    }

    // A warm query: one batch with this request's values in the plan's slots.
    private async Task<RawJsonData> RunPlanAsync(QueryPlan plan, GraphQLRequest request, Session session, CancellationToken ct)
    {
        var run = await _admission.AdmitAsync(plan.Irs, session, ct);
        var json = await _runner.QueryJsonAsync(plan.Statements.Select(s => s.Bind(request.Variables)).ToList(), run, ct);
        var fields = new (string Key, JsonText Json)[plan.Keys.Count];
        for (var i = 0; i < fields.Length; i++) fields[i] = (plan.Keys[i], plan.Constants[i] ?? (JsonText)"null");
        for (var i = 0; i < json.Length; i++) fields[plan.Statements[i].Index].Json = json[i];
        return new RawJsonData(fields);
    }

    private GraphQLDocument Parse(string query)
    {
        if (_documents.TryGetValue(query, out var cached)) return cached;
        var document = GraphQLParser.Parser.Parse(query);
        if (_documents.Count < MaxCachedDocuments) _documents.TryAdd(query, document);
        return document;
    }

    // GraphQL.NET's validation and variable errors become Hasura's validation-failed.
    private static HasuraError ToHasura(ExecutionError e) => new ValidationFailedError(e.Message,
        e.Path is null ? "$" : "$." + string.Join('.', e.Path));

    private sealed class FixedStrategySelector(IExecutionStrategy strategy) : IExecutionStrategySelector
    {
        public IExecutionStrategy Select(GraphQL.Execution.ExecutionContext context) => strategy;
    }
}
