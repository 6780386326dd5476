using GraphQLParser.AST;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Schema;

namespace Peregrine.Graph.Subscriptions;

/// <summary>
/// Builds the IR of a subscription's root fields (as the executor would for a live query) to learn what it
/// reads. The executor stays the only thing that runs it; a failure here just means "watch everything".
/// </summary>
public sealed class LiveQueryAnalyzer(GeneratedSchema schema)
{
    public LiveQueryWatch Analyze(GraphQLRequest request, Session session)
    {
        try
        {
            var document = GraphQLParser.Parser.Parse(request.Query);
            var operation = OperationInfo.Find(document, request.OperationName);
            if (operation is null) return LiveQueryWatch.Everything;
            var scope = new RequestScope(document, operation, request.Variables, session);
            var roots = new List<object>();
            foreach (var (key, nodes) in FieldCollector.Collect(operation.SelectionSet, TypeNames.SubscriptionRoot, scope))
            {
                var name = nodes[0].Name.StringValue;
                if (name == "__typename") continue;
                if (schema.FindQueryRoot(name) is not { } root) return LiveQueryWatch.Everything;
                var table = schema.Catalog.Table(root.Table);
                var builder = new SelectBuilder(schema.Catalog, scope);
                var args = ValueReader.Arguments(nodes[0], scope);
                var selection = FieldCollector.Merge(nodes);
                var path = $"$.selectionSet.{key}";
                roots.Add(root.Kind switch
                {
                    RootFieldKind.Select => builder.Build(table, selection, args, path),
                    RootFieldKind.SelectByPk => builder.ByPrimaryKey(table, selection, args, path),
                    RootFieldKind.SelectAggregate => builder.BuildAggregate(table, selection, args, path),
                    RootFieldKind.Search => builder.Search(table, root.Search!, selection, args, path),
                    _ => throw new NotSupportedException(root.Kind.ToString())
                });
            }
            return LiveQueryWatch.FromRoots(roots, schema.Catalog);
        }
        catch (Exception)
        {
            return LiveQueryWatch.Everything;
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
