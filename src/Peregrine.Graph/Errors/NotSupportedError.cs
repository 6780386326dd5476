namespace Peregrine.Graph.Errors;

public sealed class NotSupportedError(string message, string path = "$") : HasuraError("not-supported", message, path);
