namespace Peregrine.Domain.Persistence.Sql;

/// <summary>
/// Database-side parts of the sensors tables, applied by the SensorsDevicesAlarms migration: change capture,
/// so live queries on devices, rules and alarms (the alarm feed a client subscribes to) see every
/// committed write, including the alarm evaluator's. <c>device_credentials</c> is not captured: it is in
/// no GraphQL schema, and its secret hash must never travel on the change bus.
/// </summary>
public static class SensorsSql
{
    public static readonly string[] CapturedTables = ["enclosures", "devices", "enclosure_members", "alarm_rules", "alarm_events"];

    public static string Up => string.Join('\n', CapturedTables.Select(t => $"SELECT peregrine_enable_change_capture('{t}');"));

    public static string Down => string.Join('\n', CapturedTables.SelectMany(t => new[]
    {
        $"DROP TRIGGER IF EXISTS peregrine_change_capture ON {t};",
        $"DROP TRIGGER IF EXISTS peregrine_change_capture_truncate ON {t};",
    }));
}
