namespace Peregrine.Graph.Errors;

/// <summary>A mutation sent with GET: answered with HTTP 405.</summary>
public sealed class MethodNotAllowedError(string message) : HasuraError("validation-failed", message);
