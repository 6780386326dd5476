namespace Peregrine.Graph.Errors;

public sealed class UnexpectedError(string message, string path = "$") : HasuraError("unexpected", message, path);
