using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;
using Peregrine.Graph.Compile;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution.Admission;
using Peregrine.Graph.Execution.Introspection;
using Peregrine.Graph.Execution.Mutations;
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
/// executor. Queries share one round trip; a mutation's root fields run in one transaction, in order. This class
/// only orders the jobs; each is a file of its own: compiling (<see cref="RootFieldCompiler"/>), plan capture
/// (<see cref="PlanCapture"/>), introspection (<see cref="IntrospectionFields"/>), the transaction
/// (<see cref="MutationTransaction"/>) and the rate limit (<see cref="MutationQuota"/>).
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
                statements.Add((i, RootFieldCompiler.CompileQueryRoot(generated, nodes, scope, path, rootType)));
            }
        }

        compiling?.Dispose();
        // Before anything runs: a query over its role's node limit is refused, and its lane and time limit chosen.
        var run = statements.Count > 0
            ? await admission.AdmitAsync(statements.Select(s => s.Query.Ir), request.Session, context.CancellationToken)
            : QueryRun.Default;

        if (request.PlanKey is { } planKey && operation.Operation == OperationType.Query && introspection.Count == 0
            && sensorFields.Count == 0 && statements.All(s => s.Query.Finish is null && s.Query.SensorFields.Count == 0))
            PlanCapture.Remember(plans, planKey, context, request, fields, results, statements);

        if (introspection.Count > 0)
            await IntrospectionFields.RunAsync(context, fields, introspection, results);
        if (statements.Count > 0)
        {
            var json = await runner.QueryJsonAsync(statements.Select(s => s.Query.Statement).ToList(), run, context.CancellationToken);
            for (var i = 0; i < statements.Count; i++)
                results[statements[i].Index] = statements[i].Query.Finish is { } finish ? finish(json[i].ToString()) : json[i];
            foreach (var (index, query) in statements)
                if (query.SensorFields.Count > 0)
                    results[index] = await sensorRelationships.CompleteAsync(results[index]?.ToString() ?? "null", query.SensorFields, request.Session, context.CancellationToken);
        }
        var quota = new MutationQuota(mutationLimit, request.Session);
        if (mutations.Count > 0)
        {
            await quota.ChargeOnceAsync(context.CancellationToken);
            await MutationTransaction.RunAsync(runner, mutations, results, context.CancellationToken);
        }

        // Sensor writes of a mutation that also creates or revokes credentials are charged with those, after.
        if (sensorFields.Count > 0 && isMutation && credentialFields.Count == 0)
            await quota.ChargeOnceAsync(context.CancellationToken);
        foreach (var (index, sensor) in sensorFields) results[index] = await sensor();

        if (credentialFields.Count > 0)
        {
            await quota.ChargeOnceAsync(context.CancellationToken);
            foreach (var (index, credential) in credentialFields) results[index] = await credential();
        }

        var data = new RawJsonData(fields.Select((f, i) => (f.Key, results[i] ?? (JsonText)"null")).ToList());
        return new ExecutionResult { Executed = true, Data = data };
    }

    public Task ExecuteNodeTreeAsync(ExecutionContext context, ExecutionNode rootNode) =>
        ParallelExecutionStrategy.Instance.ExecuteNodeTreeAsync(context, rootNode);

    public Dictionary<string, (GraphQLField field, GraphQL.Types.FieldType fieldType)>? GetSubFields(ExecutionContext executionContext, ExecutionNode executionNode) =>
        ParallelExecutionStrategy.Instance.GetSubFields(executionContext, executionNode);
}
