namespace Peregrine.Graph.Transport.WebSockets;

/// <summary>
/// The close codes of graphql-ws's PROTOCOL.md ("GraphQL over WebSocket Protocol", graphql-transport-ws);
/// the legacy protocol borrows 4403 for a rejected <c>connection_init</c>.
/// </summary>
internal static class CloseCode
{
    /// <summary>"Invalid message received" / any malformed message.</summary>
    public const int BadRequest = 4400;
    /// <summary>"Unauthorized": a subscribe before the connection was acknowledged.</summary>
    public const int Unauthorized = 4401;
    /// <summary>"Forbidden": the server rejects the connection_init (bad credentials).</summary>
    public const int Forbidden = 4403;
    /// <summary>"Connection initialisation timeout".</summary>
    public const int ConnectionInitialisationTimeout = 4408;
    /// <summary>"Subscriber for &lt;id&gt; already exists".</summary>
    public const int SubscriberAlreadyExists = 4409;
    /// <summary>"Too many initialisation requests".</summary>
    public const int TooManyInitialisationRequests = 4429;
    /// <summary>"Internal server error".</summary>
    public const int InternalServerError = 4500;
}
