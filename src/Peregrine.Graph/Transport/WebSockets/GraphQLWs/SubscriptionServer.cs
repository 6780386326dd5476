using Peregrine.Graph.Execution;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Subscriptions;

namespace Peregrine.Graph.Transport.WebSockets.GraphQLWs;

/// <summary>
/// <c>graphql-transport-ws</c>: every protocol violation closes the socket with the spec's code — 4400 for a
/// malformed or unknown message, 4401 for a subscribe before the acknowledgement, 4403 for refused
/// credentials, 4408 when no connection_init arrives in time, 4409 for an id already in use, 4429 for a
/// second connection_init, 4500 for a failure of ours.
/// </summary>
internal sealed class SubscriptionServer(WebSocketConnection connection, SubscriptionServices services, TimeSpan initTimeout)
    : BaseSubscriptionServer(connection, services)
{
    private bool _initReceived;
    private bool _acknowledged;

    protected override Task OnOpenAsync()
    {
        _ = Task.Delay(initTimeout, Closed).ContinueWith(t =>
        {
            if (!t.IsCanceled && !Volatile.Read(ref _acknowledged))
                Connection.Close(CloseCode.ConnectionInitialisationTimeout, "Connection initialisation timeout");
        }, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    protected override Task HandleMessageAsync(JsonObject? message)
    {
        switch (TypeOf(message))
        {
            case MessageType.ConnectionInit:
                if (_initReceived)
                {
                    Connection.Close(CloseCode.TooManyInitialisationRequests, "Too many initialisation requests");
                    break;
                }
                _initReceived = true;
                if (message!["payload"] is not (null or JsonObject)) { Invalid("connection_init payload must be an object"); break; }
                if (Authenticate(message["payload"]) is { } denied)
                {
                    Connection.Close(CloseCode.Forbidden, $"Forbidden: {denied.Message}");
                    break;
                }
                Volatile.Write(ref _acknowledged, true);
                Connection.Send(Message(MessageType.ConnectionAck));
                break;
            case MessageType.Ping:
                Connection.Send(Message(MessageType.Pong));
                break;
            case MessageType.Pong:
                break;
            case MessageType.Subscribe:
                if (IdOf(message!) is not { Length: > 0 } id) { Invalid("subscribe without an id"); break; }
                if (!_acknowledged) { Connection.Close(CloseCode.Unauthorized, "Unauthorized"); break; }
                if (ReadRequest(message!["payload"]) is not { } request) { Invalid("subscribe payload must hold a query"); break; }
                if (!Start(id, request)) Connection.Close(CloseCode.SubscriberAlreadyExists, $"Subscriber for {id} already exists");
                break;
            case MessageType.Complete:
                if (IdOf(message!) is not { } completed) { Invalid("complete without an id"); break; }
                Stop(completed);
                break;
            default:
                Invalid(message is null ? "message is not a JSON object" : $"unknown message type {TypeOf(message) ?? "(none)"}");
                break;
        }
        return Task.CompletedTask;
    }

    private void Invalid(string why) => Connection.Close(CloseCode.BadRequest, $"Invalid message received: {why}");

    protected override void OnSessionExpired() => Connection.Close(CloseCode.Forbidden, "Forbidden: the session's token has expired");

    protected override void OnInternalError() => Connection.Close(CloseCode.InternalServerError, "Internal server error");

    protected override void SendNext(string id, string payload) => Connection.Send(Message(MessageType.Next, id, payload));

    protected override void SendError(string id, IReadOnlyList<HasuraError> errors) =>
        Connection.Send(Message(MessageType.Error, id, ResultJson.Errors(errors)));

    protected override void SendComplete(string id) => Connection.Send(Message(MessageType.Complete, id));
}
