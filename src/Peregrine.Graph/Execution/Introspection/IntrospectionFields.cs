using System.Text.Json;
using GraphQL.Execution;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace Peregrine.Graph.Execution.Introspection;

/// <summary>
/// Introspection fields (<c>__schema</c>, <c>__type</c>) are the only ones GraphQL.NET's own executor answers: it runs on a
/// copy of the operation trimmed to them, and each field's JSON is taken from its result.
/// </summary>
internal static class IntrospectionFields
{
    public static async Task RunAsync(ExecutionContext context,
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
}
