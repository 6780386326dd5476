namespace Peregrine.Graph.Errors;

public sealed class InvalidJsonError(string message, string path = "$") : HasuraError("invalid-json", message, path);
