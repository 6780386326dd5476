using Npgsql;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Execution;

/// <summary>Translates PostgreSQL errors into Hasura's codes and words; SQL text never reaches the client.</summary>
public static class PostgresErrors
{
    public static HasuraError Translate(PostgresException e) => e.SqlState switch
    {
        _ when IsUnavailable(e) => Unavailable(e),
        "23505" => new ConstraintViolationError($"Uniqueness violation. {e.MessageText}"),
        "23503" => new ConstraintViolationError($"Foreign key violation. {e.MessageText}"),
        "23502" => new ConstraintViolationError($"Not-NULL violation. {e.MessageText}"),
        "23514" => new ConstraintViolationError($"Check constraint violation. {e.MessageText}"),
        "23P01" => new ConstraintViolationError($"Exclusion violation. {e.MessageText}"),
        // Data exceptions (bad uuid, timestamp, number...) and PostGIS input errors describe the value, not the query.
        _ when e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState == "XX000"
            => new DataExceptionError(e.MessageText),
        "57014" => new UnexpectedError("the query was cancelled (statement timeout)"),
        _ => new UnexpectedError("database query error")
    };

    /// <summary>
    /// The server went away or refuses connections, rather than the statement failing: a socket error or
    /// timeout (no SQLSTATE), connection exceptions (08), shutdown and crash recovery (57P01–57P03),
    /// too many connections (53300).
    /// </summary>
    public static bool IsUnavailable(NpgsqlException e) => e is not PostgresException p
        ? true
        : p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03" or "53300";

    public static PostgresError Unavailable(NpgsqlException e) => new(e is PostgresException p
        ? $"database unavailable: {p.MessageText}"
        : "database unavailable: the connection to PostgreSQL failed");
}
