using System.Collections.Concurrent;
using System.Text;
using GraphQL.Types;
using GraphQLParser.AST;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Schema.Scalars;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Execution.Plans;

/// <summary>
/// Compiled query plans keyed by (document, operation, role and session variables). A warm request skips
/// GraphQL.NET's validation and variable coercion, the IR and the SQL writer: validation does not depend on
/// variable values, and a plan is only reused for values that would compile to the same SQL.
/// </summary>
public sealed class QueryPlanCache
{
    private const int MaxOperations = 4096;
    private readonly ConcurrentDictionary<string, OperationPlans> _operations = new();

    public static string OperationKey(GraphQLRequest request, Session session)
    {
        var key = new StringBuilder(request.Query.Length + 64).Append(session.Role).Append('\0');
        foreach (var (name, value) in session.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            key.Append(name).Append('=').Append(value).Append('\0');
        return key.Append(request.OperationName).Append('\0').Append(request.Query).ToString();
    }

    private long _hits;

    /// <summary>Requests answered from a cached plan since start-up.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public QueryPlan? Find(string operationKey, GraphQLRequest request)
    {
        if (!_operations.TryGetValue(operationKey, out var plans)) return null;
        var plan = plans.Find(plans.ShapeKey(request.Variables));
        if (plan is not null) Interlocked.Increment(ref _hits);
        return plan;
    }

    /// <summary>The plans of a validated operation, created on first use (null when the cache is full).</summary>
    public OperationPlans? For(string operationKey, GraphQLOperationDefinition operation, GeneratedSchema schema)
    {
        if (_operations.TryGetValue(operationKey, out var plans)) return plans;
        if (_operations.Count >= MaxOperations) return null;
        var variables = (operation.Variables?.Items ?? [])
            .Select(d => (d.Variable.Name.StringValue, IsString(d.Type, schema.Schema)))
            .ToList();
        return _operations.GetOrAdd(operationKey, new OperationPlans(variables));
    }

    // Strings and string-carried scalars (uuid, timestamptz, ...) reach SQL as they were sent, so they can be
    // slots; numbers, booleans, enums, lists and input objects key the plan by value.
    private static bool IsString(GraphQLType type, ISchema schema)
    {
        if (type is GraphQLNonNullType nonNull) type = nonNull.Type;
        return type is GraphQLNamedType named
            && schema.AllTypes[named.Name.StringValue] is StringGraphType or TextScalar;
    }
}
