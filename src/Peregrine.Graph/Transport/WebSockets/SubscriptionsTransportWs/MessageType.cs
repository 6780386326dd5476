namespace Peregrine.Graph.Transport.WebSockets.SubscriptionsTransportWs;

/// <summary>
/// The messages of subscriptions-transport-ws's PROTOCOL.md, subprotocol <c>graphql-ws</c>
/// (https://github.com/apollographql/subscriptions-transport-ws/blob/master/PROTOCOL.md): Hasura's default.
/// </summary>
internal static class MessageType
{
    public const string SubProtocol = "graphql-ws";

    /// <summary>GQL_CONNECTION_INIT: "Client sends this message after plain websocket connection to start the communication with the server".</summary>
    public const string ConnectionInit = "connection_init";
    /// <summary>GQL_CONNECTION_TERMINATE: "Client sends this message to terminate the connection."</summary>
    public const string ConnectionTerminate = "connection_terminate";
    /// <summary>GQL_START: "Client sends this message to execute GraphQL operation".</summary>
    public const string Start = "start";
    /// <summary>GQL_STOP: "Client sends this message in order to stop a running GraphQL operation execution (for example: unsubscribe)".</summary>
    public const string Stop = "stop";

    /// <summary>GQL_CONNECTION_ERROR: "The server sends this message if onConnect callback returns false or throws an exception, and after sending this message, the server disconnects the client."</summary>
    public const string ConnectionError = "connection_error";
    /// <summary>GQL_CONNECTION_ACK: "The server sends this message if onConnect callback returns any other value then false."</summary>
    public const string ConnectionAck = "connection_ack";
    /// <summary>GQL_DATA: "The server sends this message to transfter the GraphQL execution result from the server to the client".</summary>
    public const string Data = "data";
    /// <summary>GQL_ERROR: "Server sends this message upon a failing operation, before the GraphQL execution".</summary>
    public const string Error = "error";
    /// <summary>GQL_COMPLETE: "Server sends this message to indicate that a GraphQL operation is done, and no more data will arrive for the specific operation."</summary>
    public const string Complete = "complete";
    /// <summary>GQL_CONNECTION_KEEP_ALIVE: "Server message that should be sent right after each GQL_CONNECTION_ACK processed and then periodically to keep the client connection alive."</summary>
    public const string KeepAlive = "ka";
}
