namespace Peregrine.Graph.Transport.WebSockets.GraphQLWs;

/// <summary>
/// The messages of graphql-ws's PROTOCOL.md, subprotocol <c>graphql-transport-ws</c>
/// (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md).
/// </summary>
internal static class MessageType
{
    public const string SubProtocol = "graphql-transport-ws";

    /// <summary>"Direction: Client -> Server. Indicates that the client wants to establish a connection within the existing socket."</summary>
    public const string ConnectionInit = "connection_init";
    /// <summary>"Direction: Server -> Client. Expected response to the ConnectionInit message from the client acknowledging a successful connection with the server."</summary>
    public const string ConnectionAck = "connection_ack";
    /// <summary>"Direction: bidirectional. Useful for detecting failed connections, displaying latency metrics or other types of network probing."</summary>
    public const string Ping = "ping";
    /// <summary>"Direction: bidirectional. The response to the Ping message. Must be sent as soon as the Ping message is received."</summary>
    public const string Pong = "pong";
    /// <summary>"Direction: Client -> Server. Requests an operation specified in the message payload."</summary>
    public const string Subscribe = "subscribe";
    /// <summary>"Direction: Server -> Client. Operation execution result(s) from the source stream created by the binding Subscribe message."</summary>
    public const string Next = "next";
    /// <summary>"Direction: Server -> Client. Operation execution error(s) in response to the Subscribe message."</summary>
    public const string Error = "error";
    /// <summary>"Direction: bidirectional. Server -> Client indicates that the requested operation execution has completed. Client -> Server indicates that the client has stopped listening."</summary>
    public const string Complete = "complete";
}
