using System.Text.Json.Nodes;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Execution;

/// <summary>Carried through GraphQL.NET's UserContext to the database strategy: what the client sent and who it is.</summary>
public sealed class RequestContext : Dictionary<string, object?>
{
    public required Session Session { get; init; }
    /// <summary>The schema of the session's role: what the operation was validated against and compiles with.</summary>
    public required Schema.GeneratedSchema Schema { get; init; }
    public JsonObject? Variables { get; init; }
    public ExecutionMode Mode { get; init; } = ExecutionMode.Http;
    /// <summary>Where a compiled query plan is kept for the next request like this one (null: not cached).</summary>
    public string? PlanKey { get; init; }
    /// <summary>How long GraphQL.NET's validation may run before it is stopped (null: no budget).</summary>
    public TimeSpan? ValidationTimeout { get; init; }
    /// <summary>The operation as prepared once; its validation result is kept on it.</summary>
    public Preparation.PreparedOperation? Prepared { get; init; }
}

/// <summary>What a transport lets an operation do.</summary>
public enum ExecutionMode
{
    /// <summary>POST: queries and mutations.</summary>
    Http,
    /// <summary>GET: queries only (GraphQL over HTTP forbids mutations there).</summary>
    HttpGet,
    /// <summary>A live query: a subscription operation whose root fields run as a query, once per refresh.</summary>
    LiveQuery
}
