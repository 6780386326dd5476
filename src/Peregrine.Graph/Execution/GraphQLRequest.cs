using System.Text.Json.Nodes;
using Peregrine.Graph.Sensors.Queries;

namespace Peregrine.Graph.Execution;

/// <summary>One GraphQL request as the client sent it (POST body item or GET query string).</summary>
public sealed record GraphQLRequest(string Query, string? OperationName, JsonObject? Variables)
{
    private string? _variablesJson;
    private JsonObject? _variables = Variables;
    private Func<JsonObject?>? _readVariables;

    public GraphQLRequest(string query, string? operationName, JsonObject? variables, string? variablesJson) : this(query, operationName, variables) =>
        _variablesJson = variablesJson;

    /// <summary>
    /// The variables as JsonNodes. For a sensor batch read from the body's bytes (<see cref="SensorObjects"/>) they are
    /// built only when something asks: the shortcut never does, and building a thousand JsonObjects was most of the
    /// request's reading cost.
    /// </summary>
    public JsonObject? Variables
    {
        get
        {
            if (_variables is null && _readVariables is { } read) Interlocked.CompareExchange(ref _variables, read(), null);
            return _variables;
        }
        init
        {
            _variables = value;
            _readVariables = null;
        }
    }

    /// <summary>How <see cref="Variables"/> is built when first read (it is null until then).</summary>
    public Func<JsonObject?>? ReadVariables
    {
        init => _readVariables = value;
    }

    /// <summary>The one variable's sensor objects, when the body had the regular shape (see Transport.Http.SensorBatchBody).</summary>
    public SensorInsertObjects? SensorObjects { get; init; }

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
