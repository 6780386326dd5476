namespace Peregrine.Graph.Errors;

public sealed class BadRequestError(string message, string path = "$") : HasuraError("bad-request", message, path);
