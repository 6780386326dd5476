using System.Text.Json;
using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Transport.WebSockets.SubscriptionsTransportWs;

/// <summary>
/// The legacy <c>graphql-ws</c> protocol as Hasura speaks it: errors are messages, not close codes —
/// a malformed message gets <c>connection_error</c> (the connection stays, per the spec), a start before
/// <c>connection_init</c> or with an id in use gets an <c>error</c> for that id. Refused credentials get
/// <c>connection_error</c> and then the socket is closed (4403). After the ack, <c>ka</c> every
/// <see cref="KeepAliveInterval"/>.
/// </summary>
internal sealed class SubscriptionServer(WebSocketConnection connection, SubscriptionServices services)
    : BaseSubscriptionServer(connection, services)
{
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(5);
    private bool _initialized;
    private bool _initReceived;

    protected override Task HandleMessageAsync(JsonObject? message)
    {
        switch (TypeOf(message))
        {
            case MessageType.ConnectionInit:
                // One per connection, as graphql-transport-ws says; a client re-sending it would make the server
                // resolve its credentials again and again (a flood), so the connection ends as that protocol ends it.
                if (_initReceived)
                {
                    Connection.Close(CloseCode.TooManyInitialisationRequests, "Too many initialisation requests");
                    break;
                }
                _initReceived = true;
                if (Authenticate(message!["payload"]) is { } denied)
                {
                    Connection.Send(Message(MessageType.ConnectionError, payloadJson: ErrorObject(denied.Message, denied.Code)));
                    Connection.Close(CloseCode.Forbidden, "Forbidden");
                    break;
                }
                Connection.Send(Message(MessageType.ConnectionAck));
                if (!_initialized)
                {
                    _initialized = true;
                    Connection.Send(Message(MessageType.KeepAlive));
                    _ = KeepAliveAsync();
                }
                break;
            case MessageType.Start:
                if (IdOf(message!) is not { } id) { Send(MessageType.ConnectionError, "start without an id"); break; }
                if (!_initialized) { SendError(id, "start received before the connection is initialised", "start-failed"); break; }
                if (ReadRequest(message!["payload"]) is not { } request) { SendError(id, "start payload must hold a query", "parse-failed"); break; }
                if (!Start(id, request)) SendError(id, $"an operation already exists with this id: {id}", "start-failed");
                break;
            case MessageType.Stop:
                if (IdOf(message!) is { } stopped) Stop(stopped);
                break;
            case MessageType.ConnectionTerminate:
                Connection.Close(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "");
                break;
            case null:
                Send(MessageType.ConnectionError, message is null ? "message is not a JSON object" : "message has no type");
                break;
            default:
                if (message is not null && IdOf(message) is { } other) SendError(other, $"unknown message type: {TypeOf(message)}", "bad-request");
                else Send(MessageType.ConnectionError, $"unknown message type: {TypeOf(message)}");
                break;
        }
        return Task.CompletedTask;
    }

    private async Task KeepAliveAsync()
    {
        using var timer = new PeriodicTimer(KeepAliveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(Closed))
                if (!Connection.Send(Message(MessageType.KeepAlive))) return;
        }
        catch (OperationCanceledException) { }
    }

    private void Send(string type, string message) => Connection.Send(Message(type, payloadJson: ErrorObject(message, "bad-request")));

    private void SendError(string id, string message, string code) =>
        Connection.Send(Message(MessageType.Error, id, ErrorObject(message, code)));

    protected override void OnSessionExpired()
    {
        Connection.Send(Message(MessageType.ConnectionError, payloadJson: ErrorObject("the session's token has expired", "invalid-jwt")));
        Connection.Close(CloseCode.Forbidden, "Forbidden");
    }

    protected override void OnInternalError() => Connection.Send(Message(MessageType.ConnectionError, payloadJson: ErrorObject("internal server error", "unexpected")));

    protected override void SendNext(string id, string payload) => Connection.Send(Message(MessageType.Data, id, payload));

    // Hasura's legacy error payload is one error object, which subscriptions-transport-ws clients read as is.
    protected override void SendError(string id, IReadOnlyList<HasuraError> errors) =>
        Connection.Send(Message(MessageType.Error, id, errors.Count > 0 ? ErrorObject(errors[0].Message, errors[0].Code, errors[0].Path) : ErrorObject("error", "unexpected")));

    protected override void SendComplete(string id) => Connection.Send(Message(MessageType.Complete, id));

    private static string ErrorObject(string message, string code, string path = "$") =>
        JsonSerializer.Serialize(new { message, extensions = new { path, code } });
}
