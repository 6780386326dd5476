namespace Peregrine.Graph.Errors;

public sealed class DataExceptionError(string message, string path = "$") : HasuraError("data-exception", message, path);
