using Peregrine.Graph.Sql;
using Peregrine.Graph.Sql.Tree;

namespace Peregrine.Graph.Compile;

/// <summary>
/// Wraps a read statement so PostgreSQL answers its snapshot and, only when that differs from the one sent,
/// the statement's JSON. An uncorrelated subquery under CASE is evaluated lazily, so a snapshot that still
/// matches costs a few microseconds whatever the statement. Both calls see the same snapshot: in READ
/// COMMITTED a statement takes one when it starts. Built on the statement's tree: its slots stay its own and
/// the snapshot takes the next one.
/// </summary>
public static class SnapshotGuard
{
    /// <param name="statement">A statement answering one row with one column.</param>
    /// <param name="snapshot">The snapshot of the answer kept ("" for none).</param>
    public static CompiledStatement Wrap(CompiledStatement statement, string snapshot)
    {
        var slot = new SqlSlot(statement.Parameters.Count, SqlType.Text);
        var body = SqlFragment.Of("SELECT pg_current_snapshot()::text, CASE WHEN pg_current_snapshot()::text = ", slot,
            " THEN NULL ELSE (", statement.Body.TrimEnd(), "\n) END");
        return new CompiledStatement(body, [.. statement.Parameters, snapshot]);
    }
}
