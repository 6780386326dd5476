namespace Peregrine.Graph.Errors;

public sealed class ConstraintViolationError(string message, string path = "$") : HasuraError("constraint-violation", message, path);
