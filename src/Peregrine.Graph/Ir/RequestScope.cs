using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Ir;

/// <summary>What the IR builders need of the request: the document's fragments, the variables as sent, the session.</summary>
public sealed class RequestScope
{
    public RequestScope(GraphQLDocument document, GraphQLOperationDefinition operation, JsonObject? variables, Session session)
    {
        Operation = operation;
        Session = session;
        Fragments = document.Definitions.OfType<GraphQLFragmentDefinition>()
            .ToDictionary(f => f.FragmentName.Name.StringValue);
        Variables = new Dictionary<string, JsonNode?>();
        foreach (var def in operation.Variables?.Items ?? [])
        {
            var name = def.Variable.Name.StringValue;
            if (variables is not null && variables.TryGetPropertyValue(name, out var sent))
                Variables[name] = sent;
            else if (def.DefaultValue is not null)
                Variables[name] = ValueReader.Read(def.DefaultValue, this);
        }
    }

    public GraphQLOperationDefinition Operation { get; }
    public Session Session { get; }
    public IReadOnlyDictionary<string, GraphQLFragmentDefinition> Fragments { get; }
    public Dictionary<string, JsonNode?> Variables { get; }
}
