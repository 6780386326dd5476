namespace Peregrine.Graph.Errors;

/// <summary>
/// An error the client sees as <c>{"message", "extensions": {"path", "code"}}</c>. Subclasses name
/// Hasura's codes; anything else that escapes becomes <c>unexpected</c> without its details.
/// </summary>
public abstract class HasuraError(string code, string message, string path = "$") : Exception(message)
{
    public string Code { get; } = code;
    public string Path { get; } = path;
}
