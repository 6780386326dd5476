using Peregrine.Graph.Compile;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Preparation;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Sql.Select;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// Builds the IR of a subscription's root fields (as the executor would for a live query) to learn what it
/// reads, and compiles them for multiplexed refreshes. It takes the operation as prepared once: no parse here.
/// The executor still runs (and validates) the first result of every group; a failure here just means "watch everything, refresh through the executor".
/// </summary>
public sealed class LiveQueryAnalyzer
{
    public LiveQueryPlan Analyze(PreparedOperation prepared)
    {
        // The session's own schema: its rules (row filters, column guards) are folded into what a refresh runs.
        var schema = prepared.Schema;
        try
        {
            if (prepared.Operation is not { } operation) return LiveQueryPlan.Opaque;
            var scope = new RequestScope(prepared.Document, operation, prepared.Request.Variables, prepared.Session);
            var roots = new List<object>();
            var statements = new List<(string, CompiledStatement)>();
            var compilable = true;
            foreach (var (key, nodes) in FieldCollector.Collect(operation.SelectionSet, TypeNames.SubscriptionRoot, scope))
            {
                var name = nodes[0].Name.StringValue;
                if (name == "__typename") { compilable = false; continue; }
                if (schema.FindQueryRoot(name) is not { } root) return LiveQueryPlan.Opaque;
                var compiled = RootFieldCompiler.Compile(schema, root, nodes, scope, $"$.selectionSet.{key}");
                // A root whose JSON is finished in C# (hex bins) cannot share a multiplexed statement; it is
                // still watched like any other root, so only a change that can move a count refreshes it.
                if (compiled.Finish is not null) compilable = false;
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
