using Npgsql;

namespace Peregrine.Domain.Seeding;

/// <summary>
/// The demo's sensor side in PostgreSQL: three enclosures, four devices, shared access, a few alarm rules and
/// one past (resolved, acknowledged) alarm, with fixed uuids so a day of readings written to InfluxDB for
/// <see cref="DeviceIds"/> lines up with them on every machine. Owners are seed users 1 and 2
/// (<c>user1@example.com</c>, <c>user2@example.com</c>); user 3 views enclosure 1 and keeps enclosure 2.
/// Every nullable column is set on some row, so a stream over any column has rows to start from.
/// </summary>
public static class DemoSensors
{
    public static readonly Guid TerrariumId = new("5e0500e1-0000-4000-8000-000000000001");
    public static readonly Guid FieldStationId = new("5e0500e1-0000-4000-8000-000000000002");
    public static readonly Guid PhoneEnclosureId = new("5e0500e1-0000-4000-8000-000000000003");

    public static readonly Guid TerrariumClimateId = new("5e05de71-0000-4000-8000-000000000001");
    public static readonly Guid BaskingProbeId = new("5e05de71-0000-4000-8000-000000000002");
    public static readonly Guid WeatherStationId = new("5e05de71-0000-4000-8000-000000000003");
    public static readonly Guid PhoneId = new("5e05de71-0000-4000-8000-000000000004");

    /// <summary>The seeded devices, with the sensors each one reports (what the readings seed writes).</summary>
    public static readonly IReadOnlyList<(Guid DeviceId, string[] Sensors)> DeviceSensors =
    [
        (TerrariumClimateId, ["temperature", "humidity"]),
        (BaskingProbeId, ["temperature"]),
        (WeatherStationId, ["temperature", "humidity", "barometer"]),
        (PhoneId, ["accelerometer", "gyroscope", "compass", "barometer"]),
    ];

    public static IEnumerable<Guid> DeviceIds => DeviceSensors.Select(d => d.DeviceId);

    public static readonly Guid TerrariumHotRuleId = new("5e05a1a7-0000-4000-8000-000000000001");
    public static readonly Guid StationHumidityRuleId = new("5e05a1a7-0000-4000-8000-000000000002");
    public static readonly Guid PhoneStaleRuleId = new("5e05a1a7-0000-4000-8000-000000000003");
    public static readonly Guid StationPressureDropRuleId = new("5e05a1a7-0000-4000-8000-000000000004");
    public static readonly Guid PastAlarmId = new("5e05e7e7-0000-4000-8000-000000000001");

    /// <summary>Written in the demo seed's transaction, after its users.</summary>
    internal static async Task SeedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, DemoDataGenerator gen, CancellationToken ct)
    {
        var alice = gen.UserId(1);
        var bob = gen.UserId(2);
        var carol = gen.UserId(3);
        var created = DemoDataGenerator.PeriodEnd.AddDays(-30);
        var lastSeen = DemoDataGenerator.PeriodEnd;

        var batch = new NpgsqlBatch(conn, tx);
        void Add(string sql, params object?[] values)
        {
            var c = new NpgsqlBatchCommand(sql);
            foreach (var v in values) c.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
            batch.BatchCommands.Add(c);
        }
        const string enclosure = "INSERT INTO enclosures (id, owner_id, name, kind, created_at) VALUES ($1, $2, $3, $4, $5)";
        Add(enclosure, TerrariumId, alice, "Leopard gecko terrarium", "terrarium", created);
        Add(enclosure, FieldStationId, bob, "Ridge field station", "field_station", created);
        Add(enclosure, PhoneEnclosureId, alice, "Alice's phone", "phone", created);

        const string device = "INSERT INTO devices (id, owner_id, enclosure_id, name, kind, last_seen_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        Add(device, TerrariumClimateId, alice, TerrariumId, "Terrarium climate", "thermo_hygrometer", lastSeen, created);
        Add(device, BaskingProbeId, alice, TerrariumId, "Basking spot probe", "thermometer", lastSeen, created);
        Add(device, WeatherStationId, bob, FieldStationId, "Ridge weather station", "weather_station", lastSeen, created);
        Add(device, PhoneId, alice, PhoneEnclosureId, "Pixel 8", "phone", lastSeen, created);

        const string member = "INSERT INTO enclosure_members (enclosure_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)";
        Add(member, TerrariumId, carol, "viewer", created);
        Add(member, FieldStationId, carol, "keeper", created);

        const string rule = "INSERT INTO alarm_rules (id, owner_id, device_id, enclosure_id, sensor, field, condition, threshold, threshold_high, for_seconds, enabled, created_at) " +
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
        Add(rule, TerrariumHotRuleId, alice, TerrariumClimateId, null, "temperature", "value", "above", 32.0, null, 60, true, created);
        Add(rule, StationHumidityRuleId, bob, null, FieldStationId, "humidity", "value", "outside", 15.0, 95.0, 300, true, created);
        Add(rule, PhoneStaleRuleId, alice, PhoneId, null, "barometer", "value", "stale", 0.0, null, 3600, false, created);
        Add(rule, StationPressureDropRuleId, bob, WeatherStationId, null, "barometer", "value", "rate_above", 0.05, null, 120, true, created);

        Add("INSERT INTO alarm_events (id, rule_id, device_id, sensor, value, started_at, resolved_at, acknowledged_by, acknowledged_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            PastAlarmId, TerrariumHotRuleId, TerrariumClimateId, "temperature", 33.4,
            lastSeen.AddHours(-20), lastSeen.AddHours(-19), alice, lastSeen.AddHours(-19.5));

        await batch.ExecuteNonQueryAsync(ct);
    }
}
