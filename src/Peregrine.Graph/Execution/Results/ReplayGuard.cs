namespace Peregrine.Graph.Execution.Results;

/// <summary>
/// <see cref="SnapshotGuard"/> for a hot standby, where <c>pg_current_snapshot()</c> cannot serve: a standby keeps
/// its running transactions in the snapshot's sub-transaction list, which that function leaves out, so the text
/// can stay the same while a transaction in the middle of the list commits (seen: <c>730:734:</c> before and
/// after a commit replayed) and a kept answer would be served stale. A standby's state is instead named by the
/// WAL position it has replayed: replicas of one primary replay the same WAL, so one position names the same
/// data on each of them.
/// <para>
/// The version is <c>lsn:</c> and the replayed position, given only when everything received has been replayed
/// (received = replayed, read after the statement's snapshot was taken): nothing past that position had even
/// arrived, so the snapshot holds no change beyond it. An answer is kept only when the position read in an
/// earlier statement of the batch (<see cref="PositionSql"/>, so before this statement's snapshot) is the same:
/// then the snapshot held every change up to it too, and the answer is exactly the data at that position. A kept
/// answer is served when a later statement finds the same version, that is the same data. Otherwise (replay in
/// progress, the version NULL) the statement runs.
/// </para>
/// </summary>
public static class ReplayGuard
{
    /// <summary>The first statement of a guarded batch on a standby: the position replayed before the others' snapshots.</summary>
    public const string PositionSql = "SELECT 'lsn:' || pg_last_wal_replay_lsn()::text";

    /// <param name="sql">A statement answering one row with one column.</param>
    /// <param name="parameterCount">Its parameters; the version to compare with is the next one.</param>
    // OFFSET 0 keeps each subquery from being pulled up, so each position is read once and both columns see the
    // same version; the statement itself stays an uncorrelated subquery under CASE, evaluated only when needed.
    public static string Wrap(string sql, int parameterCount) =>
        "SELECT g.v, CASE WHEN g.v = $" + (parameterCount + 1) + " THEN NULL ELSE (" + sql.TrimEnd().TrimEnd(';') + "\n) END"
        + " FROM (SELECT CASE WHEN l.received = l.replayed THEN 'lsn:' || l.replayed::text END AS v"
        + " FROM (SELECT pg_last_wal_receive_lsn() AS received, pg_last_wal_replay_lsn() AS replayed OFFSET 0) l OFFSET 0) g";
}
