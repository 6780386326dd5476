namespace Peregrine.Graph.Errors;

/// <summary>
/// PostgreSQL could not be reached or dropped the connection (restart, shutdown, too many clients): the
/// request did not run, or its transaction was rolled back. HTTP answers 503 so clients and balancers retry.
/// </summary>
public sealed class PostgresError(string message, string path = "$") : HasuraError("postgres-error", message, path);
