namespace Peregrine.Graph.Execution.Admission;

/// <summary>How one batch of read statements runs: on which lane, and for how long PostgreSQL lets it run.</summary>
/// <param name="Heavy">Estimated heavy: runs on <see cref="HeavyQueryLane"/>, whose statements a cancelled request cancels in PostgreSQL.</param>
/// <param name="TimeoutMs">PostgreSQL's <c>statement_timeout</c> for the batch (0: the connection's own).</param>
/// <param name="TimeoutSetting">The setting that gave <paramref name="TimeoutMs"/>, named in the error when it is exceeded.</param>
/// <param name="ClientTimeoutSeconds">
/// Npgsql's own timeout for the batch: past every role's time limit, because on a multiplexed connection a batch
/// can wait behind another request's statement, and Npgsql's timeout would break the connection and every batch on
/// it, where PostgreSQL's cancels one statement.
/// </param>
public sealed record QueryRun(bool Heavy, int TimeoutMs, string TimeoutSetting, int ClientTimeoutSeconds = 0)
{
    /// <summary>The role's whole time limit; <see cref="TimeoutMs"/> is what is left of it after waiting for a connection.</summary>
    public int LimitMs { get; init; } = TimeoutMs;

    /// <summary>Cheap lane, the connection's own timeout: for statements the server runs on its own behalf.</summary>
    public static readonly QueryRun Default = new(false, 0, "", 0);
}
