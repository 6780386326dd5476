namespace Peregrine.Graph.Errors;

public sealed class ParseFailedError(string message, string path = "$") : HasuraError("parse-failed", message, path);
