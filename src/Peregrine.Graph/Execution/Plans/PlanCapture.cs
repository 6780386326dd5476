using GraphQLParser.AST;
using Peregrine.Graph.Compile;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace Peregrine.Graph.Execution.Plans;

/// <summary>
/// Keeps a query's compiled statements for the next request with the same operation; string variables that only
/// fill parameters become slots (<see cref="PlanProbe"/>), so one plan serves every id.
/// </summary>
internal static class PlanCapture
{
    public static void Remember(QueryPlanCache plans, string planKey, ExecutionContext context, RequestContext request,
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
            return statements.Select(s => RootFieldCompiler.CompileQueryRoot(request.Schema, fields[s.Index].Fields, scope,
                $"$.selectionSet.{fields[s.Index].Key}", TypeNames.QueryRoot).Statement).ToList();
        });
        if (planned is null) return;
        operationPlans.Add(shape, new QueryPlan(fields.Select(f => f.Key).ToList(), constants.ToList(), planned)
        {
            Irs = statements.Select(s => s.Query.Ir).ToList(),
        });
    }
}
