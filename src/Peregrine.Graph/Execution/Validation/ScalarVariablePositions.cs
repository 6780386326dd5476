using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Peregrine.Graph.Execution.Validation;

/// <summary>
/// A variable declared with one scalar (or enum) type and used where another is expected — <c>$id: Int!</c>
/// passed to a <c>uuid!</c> argument — is refused before anything runs, as the spec's "variables in allowed
/// position" asks and Hasura does. GraphQL.NET's own rule lets some of these through (measured: Int and String
/// into the text-carried scalars uuid and timestamptz), which left the database to refuse the value at run
/// time, and left a REST endpoint's operation that can never work unnoticed at start-up.
/// </summary>
public sealed class ScalarVariablePositions : ValidationRuleBase
{
    public static readonly ScalarVariablePositions Instance = new();

    /// <summary>GraphQL.NET's core rules and this one: what every request, subscription and REST operation is checked with.</summary>
    public static readonly IValidationRule[] CoreRulesAndThis = [.. DocumentValidator.CoreRules, Instance];

    private static readonly INodeVisitor Visitor = new MatchingNodeVisitor<GraphQLOperationDefinition>(leave: Check);

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(Visitor);

    private static void Check(GraphQLOperationDefinition operation, ValidationContext context)
    {
        // GraphQL.NET answers null, not an empty list, for an operation that uses none of its variables.
        if (operation.Variables is not { Items.Count: > 0 } definitions || context.GetRecursiveVariables(operation) is not { } usages) return;
        // A repeated name is another rule's error (UniqueVariableNames); the first definition is compared here.
        var declared = new Dictionary<string, GraphQLType>();
        foreach (var d in definitions.Items) declared.TryAdd(d.Variable.Name.StringValue, d.Type);
        foreach (var usage in usages)
        {
            if (usage.Type is null || !declared.TryGetValue(usage.Node.Name.StringValue, out var type)) continue;
            var expected = usage.Type.GetNamedType();
            var named = NamedTypeName(type);
            // Only leaf types: GraphQL.NET's rule already compares input objects, lists and nullability.
            if (expected is not (ScalarGraphType or EnumerationGraphType) || named == expected.Name) continue;
            if (context.Schema.AllTypes[named] is not (ScalarGraphType or EnumerationGraphType)) continue;
            context.ReportError(new ValidationError(context.Document.Source, "5.8.5",
                $"Variable '${usage.Node.Name.StringValue}' of type '{Print(type)}' used in position expecting type '{usage.Type}'.",
                usage.Node));
        }
    }

    private static string NamedTypeName(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => NamedTypeName(n.Type),
        GraphQLListType l => NamedTypeName(l.Type),
        GraphQLNamedType n => n.Name.StringValue,
        _ => "",
    };

    private static string Print(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => Print(n.Type) + "!",
        GraphQLListType l => "[" + Print(l.Type) + "]",
        GraphQLNamedType n => n.Name.StringValue,
        _ => "",
    };
}
