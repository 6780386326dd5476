namespace Peregrine.Graph.Errors;

public sealed class ValidationFailedError(string message, string path = "$") : HasuraError("validation-failed", message, path);
