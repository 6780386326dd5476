namespace Peregrine.Graph.Errors;

/// <summary>A write whose rows fail the role's insert/update check (Hasura's <c>permission-error</c>).</summary>
public sealed class PermissionError(string message, string path = "$") : HasuraError("permission-error", message, path);
