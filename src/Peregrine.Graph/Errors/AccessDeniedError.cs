namespace Peregrine.Graph.Errors;

public sealed class AccessDeniedError(string message, string path = "$") : HasuraError("access-denied", message, path);
