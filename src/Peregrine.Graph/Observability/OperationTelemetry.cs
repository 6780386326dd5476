using System.Diagnostics;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Observability;

/// <summary>
/// One GraphQL operation as observed: its span (<c>graphql.operation</c>, tagged with name, type and role), its
/// count and duration, its error codes, and what the request log line says about it.
/// </summary>
public sealed class OperationTelemetry : IDisposable
{
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly string? _name;
    private readonly Session _session;

    private OperationTelemetry(GraphQLRequest request, Session session)
    {
        _name = request.OperationName;
        _session = session;
        _activity = PeregrineTelemetry.Source.StartActivity("graphql.operation");
        _activity?.SetTag("graphql.operation.name", request.OperationName);
        _activity?.SetTag("peregrine.role", session.Role);
    }

    /// <summary>Null for live-query refreshes: they are not client requests (their fan-out has its own span).</summary>
    public static OperationTelemetry? Start(GraphQLRequest request, Session session, ExecutionMode mode) =>
        mode == ExecutionMode.LiveQuery ? null : new OperationTelemetry(request, session);

    /// <param name="type">query, mutation or subscription; unknown when the document did not parse.</param>
    public void Finish(GraphQLResult result, string type)
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var name = PeregrineTelemetry.OperationLabel(_name);
        var outcome = result.Errors.Count == 0 ? "ok" : "error";
        PeregrineTelemetry.Requests.Add(1, new("operation_name", name), new("operation_type", type), new("outcome", outcome));
        PeregrineTelemetry.Duration.Record(seconds, new KeyValuePair<string, object?>("operation_name", name), new("operation_type", type));
        foreach (var e in result.Errors)
        {
            PeregrineTelemetry.Errors.Add(1, new KeyValuePair<string, object?>("code", e.Code));
            if (e is Errors.TooManyRequestsError) PeregrineTelemetry.RateLimitRejected(PeregrineTelemetry.Limits.Mutations);
        }
        _activity?.SetTag("graphql.operation.type", type);
        if (result.Errors.Count > 0) _activity?.SetStatus(ActivityStatusCode.Error, result.Errors[0].Code);
        RequestLogContext.Current?.Add(_name, type, _session.Role, result.Errors.Count > 0 ? result.Errors[0].Code : null);
    }

    public void Dispose() => _activity?.Dispose();
}
