using System.Text.Json.Nodes;
using Peregrine.Graph.Ir;

namespace Peregrine.Graph.Execution;

/// <summary>Carried through GraphQL.NET's UserContext to the database strategy: what the client sent and who it is.</summary>
public sealed class RequestContext : Dictionary<string, object?>
{
    public required Session Session { get; init; }
    public JsonObject? Variables { get; init; }
    /// <summary>False for GET requests: GraphQL over HTTP forbids mutations there.</summary>
    public bool AllowMutations { get; init; } = true;
}
