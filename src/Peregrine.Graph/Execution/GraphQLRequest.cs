using System.Text.Json.Nodes;

namespace Peregrine.Graph.Execution;

/// <summary>One GraphQL request as the client sent it (POST body item or GET query string).</summary>
public sealed record GraphQLRequest(string Query, string? OperationName, JsonObject? Variables, string? VariablesJson);
