using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;
using Peregrine.Graph.Compile;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution.Admission;
using Peregrine.Graph.Execution.Plans;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Sql.HexBins;
using Peregrine.Graph.Sql.Mutation;
using Peregrine.Graph.Sql.Select;

namespace Peregrine.Graph.Execution;

/// <summary>
/// Runs a validated operation without GraphQL.NET's resolvers: each database root field is compiled to
/// one statement whose JSON is passed through as is. Introspection fields go to GraphQL.NET's own
/// executor. Queries share one round trip; a mutation's root fields run in one transaction, in order.
/// </summary>
public sealed class DatabaseExecutionStrategy(SqlRunner runner, MutationRateLimiter mutationLimit, QueryPlanCache plans, QueryAdmission admission,
    Sensors.Devices.DeviceCredentialFields deviceCredentials, Sensors.Queries.SensorFields sensors,
    Sensors.Queries.SensorRelationshipFiller sensorRelationships) : IExecutionStrategy
{
    public async Task<ExecutionResult> ExecuteAsync(ExecutionContext context)
    {
        var request = (RequestContext)context.UserContext;
        var generated = request.Schema;
        var operation = context.Operation;
        var isMutation = operation.Operation == OperationType.Mutation;
        if (operation.Operation == OperationType.Subscription && request.Mode != ExecutionMode.LiveQuery)
            throw new ValidationFailedError("subscriptions are served over the websocket transport, not HTTP");
        if (operation.Operation != OperationType.Subscription && request.Mode == ExecutionMode.LiveQuery)
            throw new ValidationFailedError("only subscription operations can run as live queries");
        if (isMutation && request.Mode == ExecutionMode.HttpGet)
            throw new MethodNotAllowedError("mutations cannot be sent with GET");

        var scope = new RequestScope(context.Document, operation, request.Variables, request.Session);
        var rootType = operation.Operation switch
        {
            OperationType.Mutation => TypeNames.MutationRoot,
            OperationType.Subscription => TypeNames.SubscriptionRoot,
            _ => TypeNames.QueryRoot
        };
        var fields = FieldCollector.Collect(operation.SelectionSet, rootType, scope);

        var results = new JsonText?[fields.Count];
        var introspection = new List<int>();
        var statements = new List<(int Index, CompiledRootField Query)>();
        var mutations = new List<(int Index, IReadOnlyList<MutationPlan> Plans, bool IsList)>();
        // Device credential fields write outside the mutation's transaction, after it (their own single statements).
        var credentialFields = new List<(int Index, Func<Task<JsonText>> Run)>();
        // Sensor root fields read or write InfluxDB, not PostgreSQL: each runs on its own, after the statements.
        var sensorFields = new List<(int Index, Func<Task<JsonText>> Run)>();

        var compiling = Observability.PeregrineTelemetry.Source.StartActivity("graphql.compile");
        for (var i = 0; i < fields.Count; i++)
        {
            var (key, nodes) = fields[i];
            var name = nodes[0].Name.StringValue;
            if (name == "__typename") { results[i] = JsonSerializer.Serialize(rootType); continue; }
            if (name.StartsWith("__", StringComparison.Ordinal)) { introspection.Add(i); continue; }
            var path = $"$.selectionSet.{key}";
            if (isMutation)
            {
                var root = generated.FindMutationRoot(name) ?? throw new ValidationFailedError($"field '{name}' not found in type: '{rootType}'", path);
                if (root.Kind is RootFieldKind.SensorReadingsInsert)
                {
                    var (sensorRoot, sensorNodes) = (root, nodes);
                    sensorFields.Add((i, () => sensors.RunAsync(sensorRoot, sensorNodes, scope, path, context.CancellationToken)));
                    continue;
                }
                if (root.Kind is RootFieldKind.DeviceCredentialsCreate or RootFieldKind.DeviceCredentialsRevoke)
                {
                    var (credentialRoot, credentialNodes) = (root, nodes);
                    credentialFields.Add((i, () => deviceCredentials.RunAsync(credentialRoot, credentialNodes, scope, path, context.CancellationToken)));
                    continue;
                }
                var ir = new MutationBuilder(generated.Catalog, scope).Build(root, nodes, path);
                mutations.Add((i, ir.Steps.Select(MutationSql.Compile).ToList(), ir.IsList));
            }
            else if (generated.FindQueryRoot(name) is { Kind: RootFieldKind.SensorReadings or RootFieldKind.SensorSeries } sensorRoot)
            {
                var sensorNodes = nodes;
                sensorFields.Add((i, () => sensors.RunAsync(sensorRoot, sensorNodes, scope, path, context.CancellationToken)));
            }
            else
            {
                statements.Add((i, CompileQueryRoot(generated, nodes, scope, path, rootType)));
            }
        }

        compiling?.Dispose();
        // Before anything runs: a query over its role's node limit is refused, and its lane and time limit chosen.
        var run = statements.Count > 0
            ? await admission.AdmitAsync(statements.Select(s => s.Query.Ir), request.Session, context.CancellationToken)
            : QueryRun.Default;

        if (request.PlanKey is { } planKey && operation.Operation == OperationType.Query && introspection.Count == 0
            && sensorFields.Count == 0 && statements.All(s => s.Query.Finish is null && s.Query.SensorFields.Count == 0))
            RememberPlan(planKey, context, request, fields, results, statements);

        if (introspection.Count > 0)
            await RunIntrospectionAsync(context, fields, introspection, results);
        if (statements.Count > 0)
        {
            var json = await runner.QueryJsonAsync(statements.Select(s => s.Query.Statement).ToList(), run, context.CancellationToken);
            for (var i = 0; i < statements.Count; i++)
                results[statements[i].Index] = statements[i].Query.Finish is { } finish ? finish(json[i].ToString()) : json[i];
            foreach (var (index, query) in statements)
                if (query.SensorFields.Count > 0)
                    results[index] = await sensorRelationships.CompleteAsync(results[index]?.ToString() ?? "null", query.SensorFields, request.Session, context.CancellationToken);
        }
        if (mutations.Count > 0)
        {
            await mutationLimit.AcquireAsync(request.Session, context.CancellationToken);
            await runner.InTransactionAsync(async tx =>
            {
                foreach (var (index, plans, isList) in mutations)
                {
                    var answers = new List<string>(plans.Count);
                    foreach (var plan in plans) answers.Add(await RunMutationAsync(tx, plan));
                    results[index] = isList ? "[" + string.Join(",", answers) + "]" : answers[0];
                }
                return true;
            }, context.CancellationToken);
        }

        if (sensorFields.Count > 0 && isMutation && mutations.Count == 0 && credentialFields.Count == 0)
            await mutationLimit.AcquireAsync(request.Session, context.CancellationToken);
        foreach (var (index, sensor) in sensorFields) results[index] = await sensor();

        if (credentialFields.Count > 0)
        {
            if (mutations.Count == 0) await mutationLimit.AcquireAsync(request.Session, context.CancellationToken);
            foreach (var (index, credential) in credentialFields) results[index] = await credential();
        }

        var data = new RawJsonData(fields.Select((f, i) => (f.Key, results[i] ?? (JsonText)"null")).ToList());
        return new ExecutionResult { Executed = true, Data = data };
    }

    private static CompiledRootField CompileQueryRoot(GeneratedSchema generated, List<GraphQLField> nodes, RequestScope scope, string path, string rootType)
    {
        var name = nodes[0].Name.StringValue;
        var root = generated.FindQueryRoot(name) ?? throw new ValidationFailedError($"field '{name}' not found in type: '{rootType}'", path);
        return RootFieldCompiler.Compile(generated, root, nodes, scope, path);
    }

    // Keeps the compiled statements for the next request with the same operation; string variables that only
    // fill parameters become slots (PlanProbe), so one plan serves every id.
    private void RememberPlan(string planKey, ExecutionContext context, RequestContext request,
        List<(string Key, List<GraphQLField> Fields)> fields, JsonText?[] constants, List<(int Index, CompiledRootField Query)> statements)
    {
        var operationPlans = plans.For(planKey, context.Operation, request.Schema);
        if (operationPlans is null) return;
        var shape = operationPlans.ShapeKey(request.Variables);
        if (operationPlans.Find(shape) is not null) return;
        var compiled = statements.Select(s => (s.Index, s.Query.Statement)).ToList();
        var planned = PlanProbe.Slots(operationPlans, request.Variables, compiled, variables =>
        {
            var scope = new RequestScope(context.Document, context.Operation, variables, request.Session);
            return statements.Select(s => CompileQueryRoot(request.Schema, fields[s.Index].Fields, scope,
                $"$.selectionSet.{fields[s.Index].Key}", TypeNames.QueryRoot).Statement).ToList();
        });
        if (planned is null) return;
        operationPlans.Add(shape, new QueryPlan(fields.Select(f => f.Key).ToList(), constants.ToList(), planned)
        {
            Irs = statements.Select(s => s.Query.Ir).ToList(),
        });
    }

    private static async Task<string> RunMutationAsync(SqlRunner.Transaction tx, MutationPlan plan)
    {
        var written = await tx.ScalarAsync(plan.Write);
        if (plan.ReadBack is null) return written;
        using var doc = JsonDocument.Parse(written);
        var root = doc.RootElement;
        if (plan.Checks is { Count: > 0 } checks)
        {
            var keyLists = root.GetProperty("checks");
            for (var i = 0; i < checks.Count; i++)
            {
                var failing = await tx.ScalarAsync(CheckSql.Compile(checks[i].Table, checks[i].Check, keyLists[i].GetRawText()));
                if (failing != "0")
                    throw new PermissionError("check constraint of an insert/update permission has failed");
            }
        }
        var affected = root.GetProperty("affected_rows").GetInt64();
        var keys = root.GetProperty("keys");
        return await tx.ScalarAsync(plan.ReadBack(affected, keys.ValueKind == JsonValueKind.Null ? "[]" : keys.GetRawText()));
    }

    // Introspection fields (and only those) run through GraphQL.NET's executor on a trimmed copy of the operation.
    private static async Task RunIntrospectionAsync(ExecutionContext context,
        List<(string Key, List<GraphQLField> Fields)> fields, List<int> indexes, JsonText?[] results)
    {
        var selection = new GraphQLSelectionSet(indexes.SelectMany(i => fields[i].Fields).Cast<ASTNode>().ToList());
        var trimmed = new GraphQLOperationDefinition(selection)
        {
            Operation = context.Operation.Operation,
            Name = context.Operation.Name,
            Variables = context.Operation.Variables,
        };
        var copy = new ExecutionContext(context) { Operation = trimmed };
        var result = await ParallelExecutionStrategy.Instance.ExecuteAsync(copy);
        if (result.Errors is { Count: > 0 })
            throw new ValidationFailedError(result.Errors[0].Message);
        var json = IntrospectionSerializer.Serialize(result);
        using var doc = JsonDocument.Parse(json);
        var data = doc.RootElement.GetProperty("data");
        foreach (var i in indexes)
            results[i] = data.GetProperty(fields[i].Key).GetRawText();
    }

    public Task ExecuteNodeTreeAsync(ExecutionContext context, ExecutionNode rootNode) =>
        ParallelExecutionStrategy.Instance.ExecuteNodeTreeAsync(context, rootNode);

    public Dictionary<string, (GraphQLField field, GraphQL.Types.FieldType fieldType)>? GetSubFields(ExecutionContext executionContext, ExecutionNode executionNode) =>
        ParallelExecutionStrategy.Instance.GetSubFields(executionContext, executionNode);
}
