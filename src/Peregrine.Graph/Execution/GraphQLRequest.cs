using System.Text.Json.Nodes;

namespace Peregrine.Graph.Execution;

/// <summary>One GraphQL request as the client sent it (POST body item or GET query string).</summary>
public sealed record GraphQLRequest(string Query, string? OperationName, JsonObject? Variables)
{
    private string? _variablesJson;

    public GraphQLRequest(string query, string? operationName, JsonObject? variables, string? variablesJson) : this(query, operationName, variables) =>
        _variablesJson = variablesJson;

    /// <summary>
    /// <see cref="Variables"/> as JSON text, written on first use: only GraphQL.NET's own path reads it, and a sensor
    /// batch of a thousand objects written out for nothing was a twentieth of its request's CPU.
    /// </summary>
    public string? VariablesJson
    {
        get => Variables is null ? _variablesJson : _variablesJson ??= Variables.ToJsonString();
        init => _variablesJson = value;
    }

    /// <summary><c>extensions.persistedQuery</c> (Apollo's APQ); <see cref="Query"/> is empty when only the hash was sent.</summary>
    public PersistedQueryRef? PersistedQuery { get; init; }
}

public sealed record PersistedQueryRef(int Version, string Sha256Hash);
