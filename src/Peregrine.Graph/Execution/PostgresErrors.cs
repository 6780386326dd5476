using Npgsql;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Execution;

/// <summary>Translates PostgreSQL errors into Hasura's codes and words; SQL text never reaches the client.</summary>
public static class PostgresErrors
{
    public static HasuraError Translate(PostgresException e) => e.SqlState switch
    {
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
}
