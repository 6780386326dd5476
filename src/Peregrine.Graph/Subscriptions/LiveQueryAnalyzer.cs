using GraphQLParser.AST;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Sql.Select;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// Builds the IR of a subscription's root fields (as the executor would for a live query) to learn what it
/// reads, and compiles them for multiplexed refreshes. The executor still runs (and validates) the first
/// result of every group; a failure here just means "watch everything, refresh through the executor".
/// </summary>
public sealed class LiveQueryAnalyzer(SchemaRegistry schemas)
{
    public LiveQueryPlan Analyze(GraphQLRequest request, Session session)
    {
        // The session's own schema: its rules (row filters, column guards) are folded into what a refresh runs.
        var schema = schemas.For(session);
        try
        {
            var document = GraphQLParser.Parser.Parse(request.Query);
            var operation = OperationInfo.Find(document, request.OperationName);
            if (operation is null) return LiveQueryPlan.Opaque;
            var scope = new RequestScope(document, operation, request.Variables, session);
            var roots = new List<object>();
            var statements = new List<(string, CompiledStatement)>();
            var compilable = true;
            foreach (var (key, nodes) in FieldCollector.Collect(operation.SelectionSet, TypeNames.SubscriptionRoot, scope))
            {
                var name = nodes[0].Name.StringValue;
                if (name == "__typename") { compilable = false; continue; }
                if (schema.FindQueryRoot(name) is not { } root) return LiveQueryPlan.Opaque;
                var compiled = RootFieldCompiler.Compile(schema, root, nodes, scope, $"$.selectionSet.{key}");
                // A root whose JSON is finished in C# (hex bins) cannot share a multiplexed statement.
                if (compiled.Finish is not null) return LiveQueryPlan.Opaque;
                // Rows with readings from InfluxDB are completed by the executor: watched, but refreshed alone.
                if (compiled.SensorFields.Count > 0) compilable = false;
                roots.Add(compiled.Ir);
                statements.Add((key, compiled.Statement));
            }
            return new LiveQueryPlan(LiveQueryWatch.FromRoots(roots, schema.Catalog), compilable && statements.Count > 0 ? statements : null);
        }
        catch (Exception)
        {
            return LiveQueryPlan.Opaque;
        }
    }
}

/// <summary>Which operation of a document a request names, and what kind it is.</summary>
public static class OperationInfo
{
    public static GraphQLOperationDefinition? Find(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        if (string.IsNullOrEmpty(operationName)) return operations.Count == 1 ? operations[0] : null;
        return operations.FirstOrDefault(o => o.Name?.StringValue == operationName);
    }

    /// <summary>The operation's type, or null when the document does not parse or names no single operation.</summary>
    public static OperationType? TypeOf(string query, string? operationName)
    {
        try { return Find(GraphQLParser.Parser.Parse(query), operationName)?.Operation; }
        catch (Exception) { return null; }
    }
}
