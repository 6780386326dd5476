using System.Text.Json.Nodes;

namespace Peregrine.Graph.Execution;

/// <summary>One GraphQL request as the client sent it (POST body item or GET query string).</summary>
public sealed record GraphQLRequest(string Query, string? OperationName, JsonObject? Variables, string? VariablesJson)
{
    /// <summary><c>extensions.persistedQuery</c> (Apollo's APQ); <see cref="Query"/> is empty when only the hash was sent.</summary>
    public PersistedQueryRef? PersistedQuery { get; init; }
}

public sealed record PersistedQueryRef(int Version, string Sha256Hash);
