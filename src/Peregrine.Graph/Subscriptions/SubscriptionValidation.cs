using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser.AST;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// Parses and validates a subscription that does not run through the executor (streams, sensor_readings_live)
/// against the session's schema, with the spec's rules, so these answer the same validation errors as any request.
/// </summary>
internal static class SubscriptionValidation
{
    private static readonly GraphQLSerializer Serializer = new();

    /// <summary>The parsed document and its operation, or the errors that keep it from running.</summary>
    public static async Task<(GraphQLDocument Document, GraphQLOperationDefinition Operation, IReadOnlyList<HasuraError> Errors)> ValidateAsync(
        GeneratedSchema schema, GraphQLRequest request)
    {
        var document = GraphQLParser.Parser.Parse(request.Query);
        var operation = Subscriptions.OperationInfo.Find(document, request.OperationName)
            ?? throw new ValidationFailedError("exactly one operation must be named by operationName");
        var validation = await new DocumentValidator().ValidateAsync(new ValidationOptions
        {
            Schema = schema.Schema,
            Document = document,
            Operation = operation,
            Rules = Execution.Validation.ScalarVariablePositions.CoreRulesAndThis,
            UserContext = new Dictionary<string, object?>(),
            Variables = request.VariablesJson is null ? Inputs.Empty : Serializer.Deserialize<Inputs>(request.VariablesJson) ?? Inputs.Empty,
            RequestServices = null,
        });
        var errors = validation.IsValid
            ? []
            : validation.Errors.Select(e => (HasuraError)new ValidationFailedError(e.Message, "$")).ToList();
        return (document, operation, errors);
    }
}
