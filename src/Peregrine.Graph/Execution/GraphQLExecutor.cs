using System.Collections.Concurrent;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Logging;
using GraphQLParser;
using Npgsql;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution.Admission;
using Peregrine.Graph.Execution.Limits;
using Peregrine.Graph.Execution.Plans;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Execution;

/// <summary>
/// Admits a document (size, bracket nesting, then its measured shape against the role's limits — all
/// without recursion, before GraphQL.NET's recursive parser and visitors see it), validates it with
/// GraphQL.NET within a time budget, then executes through <see cref="DatabaseExecutionStrategy"/>.
/// Documents are parsed once and kept by text with their shape. Never throws for bad input: every
/// failure is a Hasura error.
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
    private readonly ConcurrentDictionary<string, AdmittedDocument> _documents = new();
    private readonly RequestLimitsOptions _limits;
    private readonly PersistedQueries.AllowList? _allowList;
    // Room for the parser's own depth count (AST nodes, two or three per bracket): the scan refuses deeper text first.
    private static readonly ParserOptions ParserOptions = new() { Ignore = IgnoreOptions.Comments, MaxDepth = 4 * RequestLimits.MaxNesting + 16 };

    public GraphQLExecutor(SchemaRegistry schemas, DatabaseExecutionStrategy strategy, QueryPlanCache plans, SqlRunner runner,
        QueryAdmission admission, RequestLimitsOptions limits, ILogger<GraphQLExecutor> logger, PersistedQueries.AllowList? allowList = null)
    {
        _allowList = allowList;
        _limits = limits;
        _schemas = schemas;
        _plans = plans;
        _runner = runner;
        _admission = admission;
        _logger = logger;
        _executer = new DocumentExecuter(new GraphQLDocumentBuilder(), new BudgetedDocumentValidator(new DocumentValidator()),
            new FixedStrategySelector(strategy), []);
    }

    /// <summary>The limits the session's requests run under.</summary>
    public RequestLimits LimitsFor(Session session) => _limits.For(session);

    /// <summary>
    /// The parsed document of a request that keeps within the session's limits, or the error that refuses it.
    /// Nothing recursive has seen the text of a refused document.
    /// </summary>
    public (GraphQLDocument? Document, GraphQLResult? Refused) Admit(GraphQLRequest request, Session session)
    {
        var limits = _limits.For(session);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(request.Query);
        if (bytes > limits.MaxDocumentBytes)
            return (null, GraphQLResult.Failed(RequestLimitErrors.DocumentBytes(bytes, limits, session.IsAdmin), ErrorPhase.PayloadTooLarge));
        if (!_documents.TryGetValue(request.Query, out var admitted))
        {
            using var parsing = Observability.PeregrineTelemetry.Source.StartActivity("graphql.parse");
            try { admitted = Parse(request.Query); }
            catch (ValidationFailedError e) { return (null, GraphQLResult.Failed(e, ErrorPhase.Validation)); }
            catch (GraphQLMaxDepthExceededException)
            {
                // Not reached after the scan, kept so a parser change cannot turn into a 500.
                return (null, GraphQLResult.Failed(RequestLimitErrors.Nesting(), ErrorPhase.Validation));
            }
            catch (GraphQLSyntaxErrorException e)
            {
                return (null, GraphQLResult.Failed(new ValidationFailedError($"not a valid graphql query: {e.Description}", "$.query"), ErrorPhase.Validation));
            }
        }
        if (RequestLimitErrors.Check(admitted.Shape, limits, session.IsAdmin) is { } over)
            return (null, GraphQLResult.Failed(over, ErrorPhase.Validation));
        return (admitted.Document, null);
    }

    public async Task<GraphQLResult> ExecuteAsync(GraphQLRequest request, Session session, ExecutionMode mode, CancellationToken ct)
    {
        // The one observation point: span, metrics and the request log's operation fields.
        using var telemetry = Observability.OperationTelemetry.Start(request, session, mode);
        var result = _allowList?.Check(request, session) is { } refused
            ? GraphQLResult.Failed(refused, ErrorPhase.Validation)
            : await RunAsync(request, session, mode, ct);
        telemetry?.Finish(result, OperationType(request));
        return result;
    }

    // From the parsed document kept by text; "unknown" when it did not parse.
    private string OperationType(GraphQLRequest request)
    {
        if (!_documents.TryGetValue(request.Query, out var admitted)) return "unknown";
        foreach (var op in admitted.Document.Definitions.OfType<GraphQLOperationDefinition>())
            if (request.OperationName is null || op.Name?.StringValue == request.OperationName)
                return op.Operation.ToString().ToLowerInvariant();
        return "unknown";
    }

    private async Task<GraphQLResult> RunAsync(GraphQLRequest request, Session session, ExecutionMode mode, CancellationToken ct)
    {
        var (document, refused) = Admit(request, session);
        if (refused is not null) return refused;
        request = OnlyDeclaredVariables(request, document!);

        var planKey = mode == ExecutionMode.LiveQuery ? null : QueryPlanCache.OperationKey(request, session);
        try
        {
            if (planKey is not null && _plans.Find(planKey, request) is { } plan)
                return GraphQLResult.Ok(await RunPlanAsync(plan, request, session, ct));
            var schema = _schemas.For(session);
            var result = await _executer.ExecuteAsync(new ExecutionOptions
            {
                Schema = schema.Schema,
                Document = document!,
                Query = request.Query,
                OperationName = request.OperationName,
                Variables = request.VariablesJson is null ? null : Serializer.Deserialize<Inputs>(request.VariablesJson),
                UserContext = new RequestContext
                {
                    Session = session, Schema = schema, Variables = request.Variables, Mode = mode, PlanKey = planKey,
                    ValidationTimeout = _limits.For(session).ValidationTimeout,
                },
                ThrowOnUnhandledException = true,
                CancellationToken = ct,
            });
            if (result.Errors is { Count: > 0 })
                return new GraphQLResult(null, result.Errors.Select(ToHasura).ToList(), ErrorPhase.Validation);
            return GraphQLResult.Ok((RawJsonData)result.Data!);
        }
        catch (ValidationTimeoutException)
        {
            return GraphQLResult.Failed(RequestLimitErrors.ValidationTimeout(_limits.For(session), session.IsAdmin), ErrorPhase.Validation);
        }
        catch (MethodNotAllowedError e) { return GraphQLResult.Failed(e, ErrorPhase.MethodNotAllowed); }
        catch (ValidationFailedError e) { return GraphQLResult.Failed(e, ErrorPhase.Validation); }
        catch (TooManyRequestsError e) { return GraphQLResult.Failed(e, ErrorPhase.RateLimited); }
        catch (PostgresError e) { return GraphQLResult.Failed(e, ErrorPhase.Unavailable); }
        catch (StorageUnavailableError e) { return GraphQLResult.Failed(e, ErrorPhase.Unavailable); }
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

    // Scan, parse, measure, fold duplicate selections; kept by text (a cached document was measured once,
    // its shape is checked against each request's role).
    private AdmittedDocument Parse(string query)
    {
        if (NestingScan.Exceeds(query, RequestLimits.MaxNesting)) throw RequestLimitErrors.Nesting();
        var document = GraphQLParser.Parser.Parse(query, ParserOptions);
        var admitted = new AdmittedDocument(document, DocumentShape.Measure(document));
        RepeatedNames.Check(document);
        DuplicateSelections.Remove(document, query);
        if (_documents.Count < MaxCachedDocuments) _documents.TryAdd(query, admitted);
        return admitted;
    }

    // Values of variables no operation declares are never read; dropped before GraphQL.NET copies them all
    // (a body of 100,000 variables for a one-variable query costs their parse, not more).
    private static GraphQLRequest OnlyDeclaredVariables(GraphQLRequest request, GraphQLDocument document)
    {
        if (request.Variables is not { Count: > 16 } values) return request;
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var op in document.Definitions.OfType<GraphQLOperationDefinition>())
            foreach (var v in op.Variables?.Items ?? []) declared.Add(v.Variable.Name.StringValue);
        if (values.Count <= declared.Count) return request;
        var kept = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, value) in values)
            if (declared.Contains(name)) kept[name] = value?.DeepClone();
        return request with { Variables = kept, VariablesJson = kept.ToJsonString() };
    }

    private sealed record AdmittedDocument(GraphQLDocument Document, DocumentShape Shape);

    // GraphQL.NET's validation and variable errors become Hasura's validation-failed.
    private static HasuraError ToHasura(ExecutionError e) => new ValidationFailedError(e.Message,
        e.Path is null ? "$" : "$." + string.Join('.', e.Path));

    private sealed class FixedStrategySelector(IExecutionStrategy strategy) : IExecutionStrategySelector
    {
        public IExecutionStrategy Select(GraphQL.Execution.ExecutionContext context) => strategy;
    }
}
