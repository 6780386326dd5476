namespace Peregrine.Graph.Errors;

public sealed class InvalidHeadersError(string message, string path = "$") : HasuraError("invalid-headers", message, path);
