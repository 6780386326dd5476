using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Validation;
using GraphQLParser.AST;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Execution.Preparation;

/// <summary>
/// An admitted request, parsed once: its document, the operation it selects, its variables (only those the
/// document declares) and, once validated, the validation result. Built by <see cref="GraphQLExecutor.Prepare"/>;
/// the transport, the subscription registry, the live-query analyzer, streams, sensor subscriptions and the
/// executor all take this object, so none of them parses or validates the text again.
/// </summary>
public sealed class PreparedOperation
{
    private static readonly GraphQLSerializer Serializer = new();
    private Inputs? _inputs;
    private (GeneratedSchema Schema, IValidationResult Result)? _validation;

    internal PreparedOperation(GraphQLRequest request, Session session, GeneratedSchema schema, GraphQLDocument document)
    {
        (Request, Session, Schema, Document) = (request, session, schema, document);
        Operation = Find(document, request.OperationName);
    }

    public GraphQLRequest Request { get; }
    public Session Session { get; }
    /// <summary>The schema of the session's role, which the operation is validated against and compiled with.</summary>
    public GeneratedSchema Schema { get; }
    public GraphQLDocument Document { get; }
    /// <summary>The operation the request names; null when it names none or several (validation then says why).</summary>
    public GraphQLOperationDefinition? Operation { get; }
    public OperationType? Type => Operation?.Operation;

    /// <summary>The variables as GraphQL.NET takes them, deserialized once.</summary>
    public Inputs Inputs => _inputs ??= Request.VariablesJson is null ? Inputs.Empty : Serializer.Deserialize<Inputs>(Request.VariablesJson) ?? Inputs.Empty;

    /// <summary>The kept validation result, when this operation was validated against <paramref name="schema"/>.</summary>
    internal IValidationResult? ValidationFor(GraphQL.Types.ISchema schema) =>
        _validation is { } v && ReferenceEquals(v.Schema.Schema, schema) ? v.Result : null;

    internal void KeepValidation(GeneratedSchema schema, IValidationResult result) => _validation = (schema, result);

    /// <summary>The root field names of the selected operation, as written (no fragments followed).</summary>
    public IEnumerable<string> RootFieldNames =>
        Operation?.SelectionSet.Selections.OfType<GraphQLField>().Select(f => f.Name.StringValue) ?? [];

    /// <summary>Which operation of a document a request names.</summary>
    public static GraphQLOperationDefinition? Find(GraphQLDocument document, string? operationName)
    {
        GraphQLOperationDefinition? found = null;
        var count = 0;
        foreach (var op in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            count++;
            if (string.IsNullOrEmpty(operationName)) found = op;
            else if (op.Name?.StringValue == operationName) return op;
        }
        return string.IsNullOrEmpty(operationName) && count == 1 ? found : null;
    }
}
