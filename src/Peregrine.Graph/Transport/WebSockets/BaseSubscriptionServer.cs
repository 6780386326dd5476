using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLParser.AST;
using Microsoft.Extensions.Logging;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Execution;
using Peregrine.Graph.Execution.Preparation;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Subscriptions;

namespace Peregrine.Graph.Transport.WebSockets;

/// <summary>
/// What both subprotocols share: the receive loop, the session from <c>connection_init</c>, and the
/// operations of the connection by id — queries and mutations run once, subscriptions become live
/// queries in the <see cref="LiveQueryRegistry"/>. Subclasses read their protocol's messages and
/// spell the replies (<see cref="SendNext"/>, <see cref="SendError"/>, <see cref="SendComplete"/>).
/// </summary>
internal abstract class BaseSubscriptionServer(WebSocketConnection connection, SubscriptionServices services)
{
    private readonly ConcurrentDictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closed = new();

    protected WebSocketConnection Connection { get; } = connection;
    protected SubscriptionServices Services { get; } = services;
    protected Session? Session { get; private set; }
    protected CancellationToken Closed => _closed.Token;

    public async Task RunAsync(CancellationToken aborted)
    {
        var writer = Connection.WriteLoopAsync();
        try
        {
            await OnOpenAsync();
            while (await Connection.ReceiveAsync(aborted) is { } text)
            {
                if (Connection.IsClosing) continue; // drain until the client answers our close
                JsonObject? message;
                try { message = LastValueJson.Parse(text) as JsonObject; }
                catch (InvalidJsonError) { message = null; }
                // A jwk_url's keys are fetched here, asynchronously, so that Authenticate never waits for them.
                if (TypeOf(message) == "connection_init") await PrepareSessionAsync(message!["payload"], aborted);
                try { await HandleMessageAsync(message); }
                catch (Exception e)
                {
                    Services.Logger.LogError(e, "websocket message handling failed");
                    OnInternalError();
                }
            }
        }
        finally
        {
            await _closed.CancelAsync();
            foreach (var op in _operations.Values) op.Dispose();
            _operations.Clear();
            Connection.Close(WebSocketCloseStatus.NormalClosure, "");
            await writer;
        }
    }

    /// <summary>Called once the socket is accepted (start timers, keep-alives).</summary>
    protected virtual Task OnOpenAsync() => Task.CompletedTask;

    /// <summary>One message from the client; null when it was not a JSON object.</summary>
    protected abstract Task HandleMessageAsync(JsonObject? message);

    protected abstract void OnInternalError();
    protected abstract void SendNext(string id, string payload);
    protected abstract void SendError(string id, IReadOnlyList<HasuraError> errors);
    protected abstract void SendComplete(string id);

    /// <summary>Resolves the session from a connection_init payload; the error when the credentials are refused.</summary>
    protected HasuraError? Authenticate(JsonNode? payload)
    {
        try
        {
            var (session, expiresAt) = Services.Sessions.ResolveWithExpiry(ConnectionInitPayload.Headers(payload));
            Session = session;
            if (expiresAt is { } at) _ = ExpireAsync(at);
            return null;
        }
        catch (HasuraError e) { return e; }
    }

    private async Task PrepareSessionAsync(JsonNode? payload, CancellationToken ct)
    {
        try { await Services.Sessions.PrepareAsync(ConnectionInitPayload.Headers(payload), ct); }
        catch (Exception e) when (e is not OperationCanceledException) { } // Authenticate answers a bad payload
    }

    // As Hasura does: when the token the connection was opened with expires, the connection ends.
    private async Task ExpireAsync(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow;
        try { if (wait > TimeSpan.Zero) await Task.Delay(wait, Closed); }
        catch (OperationCanceledException) { return; }
        foreach (var op in _operations.Values) op.Dispose();
        _operations.Clear();
        OnSessionExpired();
    }

    /// <summary>The session's token expired: its operations are already stopped; end the connection.</summary>
    protected abstract void OnSessionExpired();

    protected bool HasOperation(string id) => _operations.ContainsKey(id);

    /// <summary>
    /// Starts an operation; false (nothing started) when the id is taken. An operation past the connection's
    /// subscription limit, outside the allow-list (PEREGRINE_ALLOW_LIST), or whose document breaks the request
    /// limits gets an error for its id (the connection stays); its document is admitted before anything parses
    /// or validates it.
    /// </summary>
    protected bool Start(string id, GraphQLRequest request)
    {
        if (_operations.ContainsKey(id)) return false;
        if (_operations.Count >= Services.MaxSubscriptions)
        {
            SendError(id, [new ValidationFailedError(
                $"too many subscriptions on one connection: the limit is {Services.MaxSubscriptions} (PEREGRINE_WS_MAX_SUBSCRIPTIONS={Services.MaxSubscriptions})")]);
            return true;
        }
        // Refused here, when the subscription is accepted, as a validation error would be: a live query is never
        // set up (no group, no analysis, no first run) for a document this session may not run.
        if (Services.AllowList?.Check(request, Session!) is { } notAllowed)
        {
            SendError(id, [notAllowed]);
            return true;
        }
        var (prepared, refused) = Services.Executor.Prepare(request, Session!);
        if (refused is not null)
        {
            SendError(id, refused.Errors);
            return true;
        }
        var op = new Operation(id, _closed.Token);
        if (!_operations.TryAdd(id, op)) return false;
        if (prepared!.Type == OperationType.Subscription)
            op.Handle = Services.Registry.Subscribe(prepared, new LiveSubscriber(this, op));
        else
            _ = RunOnceAsync(op, prepared);
        return true;
    }

    /// <summary>Stops an operation at the client's request; false when there was none with that id.</summary>
    protected bool Stop(string id)
    {
        if (!_operations.TryRemove(id, out var op)) return false;
        op.Dispose();
        return true;
    }

    private bool Finish(Operation op)
    {
        if (!_operations.TryRemove(new KeyValuePair<string, Operation>(op.Id, op))) return false;
        op.Dispose();
        return true;
    }

    private async Task RunOnceAsync(Operation op, PreparedOperation prepared)
    {
        GraphQLResult result;
        try { result = await Services.Executor.ExecuteAsync(prepared, ExecutionMode.Http, op.Token); }
        catch (OperationCanceledException) { return; }
        if (!Finish(op)) return;
        if (ResultJson.IsFatal(result)) SendError(op.Id, result.Errors);
        else
        {
            SendNext(op.Id, ResultJson.Serialize(result));
            SendComplete(op.Id);
        }
    }

    /// <summary>Reads <c>{query, operationName, variables}</c>; null when the payload is not one.</summary>
    protected static GraphQLRequest? ReadRequest(JsonNode? payload)
    {
        if (payload is not JsonObject p || p["query"] is not JsonValue q || !q.TryGetValue<string>(out var query)) return null;
        string? operationName = null;
        if (p["operationName"] is JsonValue op && !op.TryGetValue(out operationName)) return null;
        JsonObject? variables;
        switch (p["variables"])
        {
            case null: variables = null; break;
            case JsonObject v: variables = v; break;
            default: return null;
        }
        return new GraphQLRequest(query, operationName, variables, variables?.ToJsonString());
    }

    /// <summary><c>{"type":…,"id":…,"payload":…}</c> with the payload's JSON copied as is.</summary>
    protected static string Message(string type, string? id = null, string? payloadJson = null)
    {
        var sb = new StringBuilder(32 + (payloadJson?.Length ?? 0));
        sb.Append("{\"type\":\"").Append(type).Append('"');
        if (id is not null) sb.Append(",\"id\":").Append(JsonSerializer.Serialize(id));
        if (payloadJson is not null) sb.Append(",\"payload\":").Append(payloadJson);
        return sb.Append('}').ToString();
    }

    protected static string? IdOf(JsonObject message) =>
        message["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;

    protected static string? TypeOf(JsonObject? message) =>
        message?["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;

    private sealed class Operation(string id, CancellationToken closed) : IDisposable
    {
        private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(closed);
        public string Id { get; } = id;
        public CancellationToken Token => _cts.Token;
        public IDisposable? Handle { get; set; }
        public bool Active => !_cts.IsCancellationRequested;

        public void Dispose()
        {
            try { _cts.Cancel(); } catch (ObjectDisposedException) { }
            Handle?.Dispose();
        }
    }

    private sealed class LiveSubscriber(BaseSubscriptionServer server, Operation op) : ILiveQuerySubscriber
    {
        public void OnNext(string payload)
        {
            if (op.Active) server.SendNext(op.Id, payload);
        }

        public void OnError(IReadOnlyList<HasuraError> errors)
        {
            if (server.Finish(op)) server.SendError(op.Id, errors);
        }
    }
}
