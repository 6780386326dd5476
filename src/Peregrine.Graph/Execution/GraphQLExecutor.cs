using System.Collections.Concurrent;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Logging;
using Npgsql;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution.Admission;
using Peregrine.Graph.Execution.Limits;
using Peregrine.Graph.Execution.Plans;
using Peregrine.Graph.Execution.Preparation;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Execution;

/// <summary>
/// Admits a document (size, bracket nesting, then its measured shape against the role's limits — all
/// without recursion, before GraphQL.NET's recursive parser and visitors see it), validates it with
/// GraphQL.NET within a time budget, then executes through <see cref="DatabaseExecutionStrategy"/>.
/// Documents are parsed once (<see cref="DocumentParser"/>) and kept by text with their shape; each request becomes a
/// <see cref="PreparedOperation"/> that every later stage takes. Never throws for bad input: every
/// failure is a Hasura error.
/// </summary>
public sealed class GraphQLExecutor
{
    private const int MaxCachedDocuments = 2048;
    private readonly SchemaRegistry _schemas;
    private readonly DocumentExecuter _executer;
    private readonly IDocumentValidator _validator;
    private readonly QueryPlanCache _plans;
    private readonly SqlRunner _runner;
    private readonly QueryAdmission _admission;
    private readonly ILogger<GraphQLExecutor> _logger;
    private readonly SensorInsertShortcut _sensorInserts;
    private readonly ConcurrentDictionary<string, AdmittedDocument> _documents = new();
    private readonly RequestLimitsOptions _limits;
    private readonly PersistedQueries.AllowList? _allowList;

    public GraphQLExecutor(SchemaRegistry schemas, DatabaseExecutionStrategy strategy, QueryPlanCache plans, SqlRunner runner,
        QueryAdmission admission, RequestLimitsOptions limits, SensorInsertShortcut sensorInserts, ILogger<GraphQLExecutor> logger,
        PersistedQueries.AllowList? allowList = null)
    {
        _sensorInserts = sensorInserts;
        _allowList = allowList;
        _limits = limits;
        _schemas = schemas;
        _plans = plans;
        _runner = runner;
        _admission = admission;
        _logger = logger;
        _validator = new OperationValidator(new BudgetedDocumentValidator(new DocumentValidator()));
        _executer = new DocumentExecuter(new GraphQLDocumentBuilder(), _validator,
            new FixedStrategySelector(strategy), []);
    }

    /// <summary>The limits the session's requests run under.</summary>
    public RequestLimits LimitsFor(Session session) => _limits.For(session);

    /// <summary>
    /// The request parsed once into the operation every later stage takes, when it keeps within the session's
    /// limits; else the error that refuses it. Nothing recursive has seen the text of a refused document.
    /// </summary>
    public (PreparedOperation? Prepared, GraphQLResult? Refused) Prepare(GraphQLRequest request, Session session)
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
        return (new PreparedOperation(OnlyDeclaredVariables(request, admitted.Document), session, _schemas.For(session), admitted.Document), null);
    }

    public async Task<GraphQLResult> ExecuteAsync(GraphQLRequest request, Session session, ExecutionMode mode, CancellationToken ct)
    {
        // The one observation point: span, metrics and the request log's operation fields.
        using var telemetry = Observability.OperationTelemetry.Start(request, session, mode);
        PreparedOperation? prepared = null;
        GraphQLResult result;
        if (_allowList?.Check(request, session) is { } refused) result = GraphQLResult.Failed(refused, ErrorPhase.Validation);
        else
        {
            (prepared, var notAdmitted) = Prepare(request, session);
            result = notAdmitted ?? await RunAsync(prepared!, mode, ct);
        }
        telemetry?.Finish(result, OperationType(prepared));
        return result;
    }

    /// <summary>Runs an operation prepared earlier (a live query's refresh, a websocket query): no parse, validated once.</summary>
    public async Task<GraphQLResult> ExecuteAsync(PreparedOperation prepared, ExecutionMode mode, CancellationToken ct)
    {
        using var telemetry = Observability.OperationTelemetry.Start(prepared.Request, prepared.Session, mode);
        var result = _allowList?.Check(prepared.Request, prepared.Session) is { } refused
            ? GraphQLResult.Failed(refused, ErrorPhase.Validation)
            : await RunAsync(prepared, mode, ct);
        telemetry?.Finish(result, OperationType(prepared));
        return result;
    }

    /// <summary>
    /// Validates an operation that does not run through the executor (streams, sensor_readings_live) on the
    /// executor's own validation path; the errors that keep it from running, as Hasura spells them.
    /// </summary>
    public async Task<IReadOnlyList<HasuraError>> ValidateAsync(PreparedOperation prepared, CancellationToken ct)
    {
        if (prepared.Operation is null) return [new ValidationFailedError("exactly one operation must be named by operationName")];
        try
        {
            var result = await _validator.ValidateAsync(new ValidationOptions
            {
                Schema = prepared.Schema.Schema,
                Document = prepared.Document,
                Operation = prepared.Operation,
                Variables = prepared.Inputs,
                UserContext = Context(prepared, ExecutionMode.LiveQuery, null),
                RequestServices = null,
                CancellationToken = ct,
            });
            return result.IsValid ? [] : result.Errors.Select(ToHasura).ToList();
        }
        catch (ValidationTimeoutException)
        {
            return [RequestLimitErrors.ValidationTimeout(_limits.For(prepared.Session), prepared.Session.IsAdmin)];
        }
    }

    // From the prepared operation; "unknown" when it did not parse or names no operation.
    private static string OperationType(PreparedOperation? prepared) =>
        prepared?.Type?.ToString().ToLowerInvariant() ?? "unknown";

    private async Task<GraphQLResult> RunAsync(PreparedOperation prepared, ExecutionMode mode, CancellationToken ct)
    {
        var (request, session) = (prepared.Request, prepared.Session);

        var planKey = mode == ExecutionMode.LiveQuery ? null : QueryPlanCache.OperationKey(request, session);
        try
        {
            // A sensor batch in the regular shape skips GraphQL.NET's variable coercion (see SensorInsertShortcut).
            if (await _sensorInserts.TryRunAsync(prepared, mode, _validator, Context(prepared, mode, null, withVariables: false), ct) is { } inserted)
                return GraphQLResult.Ok(inserted);
            if (planKey is not null && _plans.Find(planKey, request) is { } plan)
                return GraphQLResult.Ok(await RunPlanAsync(plan, request, session, ct));
            var result = await _executer.ExecuteAsync(new ExecutionOptions
            {
                Schema = prepared.Schema.Schema,
                Document = prepared.Document,
                Query = request.Query,
                OperationName = request.OperationName,
                Variables = request.VariablesJson is null ? null : prepared.Inputs,
                UserContext = Context(prepared, mode, planKey),
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

    // withVariables: false for the sensor shortcut, which reads no variables from the context (reading them could
    // build a sensor batch's thousand JsonObjects).
    private RequestContext Context(PreparedOperation prepared, ExecutionMode mode, string? planKey, bool withVariables = true) => new()
    {
        Session = prepared.Session, Schema = prepared.Schema, Variables = withVariables ? prepared.Request.Variables : null, Mode = mode, PlanKey = planKey,
        ValidationTimeout = _limits.For(prepared.Session).ValidationTimeout, Prepared = prepared,
    };

    // Scan, parse, measure, fold duplicate selections; kept by text (a cached document was measured once,
    // its shape is checked against each request's role).
    private AdmittedDocument Parse(string query)
    {
        if (NestingScan.Exceeds(query, RequestLimits.MaxNesting)) throw RequestLimitErrors.Nesting();
        var document = DocumentParser.Parse(query);
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
        // A body read as a sensor batch has one variable; asking for its JsonNodes would build them.
        if (request.SensorObjects is not null || request.Variables is not { Count: > 16 } values) return request;
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
