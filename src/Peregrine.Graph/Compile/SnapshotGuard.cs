namespace Peregrine.Graph.Compile;

/// <summary>
/// Wraps a read statement so PostgreSQL answers its snapshot and, only when that differs from the one sent,
/// the statement's JSON. An uncorrelated subquery under CASE is evaluated lazily, so a snapshot that still
/// matches costs a few microseconds whatever the statement. Both calls see the same snapshot: in READ
/// COMMITTED a statement takes one when it starts.
/// </summary>
public static class SnapshotGuard
{
    /// <param name="sql">A statement answering one row with one column.</param>
    /// <param name="parameterCount">Its parameters; the snapshot to compare with is the next one.</param>
    public static string Wrap(string sql, int parameterCount) =>
        "SELECT pg_current_snapshot()::text, CASE WHEN pg_current_snapshot()::text = $" + (parameterCount + 1)
        + " THEN NULL ELSE (" + sql.TrimEnd().TrimEnd(';') + "\n) END";
}
