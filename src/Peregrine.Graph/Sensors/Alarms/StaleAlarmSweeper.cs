using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Peregrine.Graph.Sensors.Alarms;

/// <summary>
/// The timer side of alarms: every few seconds one statement opens a <c>stale</c> alarm for each enabled rule and
/// device whose sensor has not reported for the rule's <c>for_seconds</c> (since the rule or device was created,
/// when it never has). Every instance may run it: the unique open-event index makes a second insert a no-op.
/// Readings resolve stale alarms (<see cref="AlarmConditions"/>). A database that is away costs a logged warning
/// per sweep, and the next sweep tries again.
/// </summary>
public sealed class StaleAlarmSweeper(NpgsqlDataSource dataSource, ILogger<StaleAlarmSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private const string Sql = """
        INSERT INTO alarm_events (rule_id, device_id, sensor, value, started_at)
        SELECT r.id, d.id, r.sensor, NULL, now()
        FROM alarm_rules r
        JOIN devices d ON d.id = r.device_id OR (r.enclosure_id IS NOT NULL AND d.enclosure_id = r.enclosure_id)
        LEFT JOIN alarm_states s ON s.rule_id = r.id AND s.device_id = d.id
        WHERE r.enabled AND r.condition = 'stale'
          AND coalesce(s.last_time, greatest(r.created_at, d.created_at)) < now() - make_interval(secs => r.for_seconds)
        ON CONFLICT (rule_id, device_id) WHERE resolved_at IS NULL DO NOTHING
        """;

    /// <summary>One sweep; the number of alarms it opened.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(Sql);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await SweepAsync(stoppingToken); }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("stale alarm sweep failed: {Message}", e.Message);
            }
        }
    }
}
