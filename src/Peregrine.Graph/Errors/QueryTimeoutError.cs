namespace Peregrine.Graph.Errors;

/// <summary>A query ran (or waited for a connection) past its role's time limit and was cancelled in PostgreSQL.</summary>
public sealed class QueryTimeoutError(string message) : HasuraError("timeout", message);
