namespace Peregrine.Graph.Observability;

/// <summary>
/// What the request log line says about the GraphQL operations a request ran. Set by
/// <see cref="RequestLogging"/> for the request's async flow; operations add to it as they finish.
/// </summary>
public sealed class RequestLogContext
{
    private const int MaxOperations = 8;
    private static readonly AsyncLocal<RequestLogContext?> Ambient = new();
    private readonly object _gate = new();

    public static RequestLogContext? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    public List<(string? Name, string Type, string Role, string? ErrorCode)> Operations { get; } = [];
    public int Count { get; private set; }

    public void Add(string? name, string type, string role, string? errorCode)
    {
        lock (_gate)
        {
            Count++;
            if (Operations.Count < MaxOperations) Operations.Add((name, type, role, errorCode));
        }
    }
}
