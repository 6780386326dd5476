using Npgsql;
using NpgsqlTypes;

namespace Peregrine.Graph.Sensors.Alarms;

/// <summary>
/// Evaluates enabled alarm rules on every accepted batch of readings. State lives in PostgreSQL (<c>alarm_states</c>,
/// locked per rule and device for the batch, and the open <c>alarm_events</c> row, at most one per rule and device
/// by a unique partial index), so instances and restarts agree on it. A batch with no matching rule costs one
/// indexed select; one that matches costs one transaction of batched statements. New and resolved events are
/// ordinary committed writes, so <c>alarm_events</c> live queries see them through change capture.
/// </summary>
public sealed class AlarmEvaluator(NpgsqlDataSource dataSource) : ISensorBatchObserver
{
    // An enclosure's rule applies to each device in it.
    private const string RulesSql = """
        SELECT r.id, d.id, r.sensor, r.field, r.condition, r.threshold, r.threshold_high, r.for_seconds
        FROM devices d
        JOIN alarm_rules r ON r.device_id = d.id OR (r.enclosure_id IS NOT NULL AND r.enclosure_id = d.enclosure_id)
        WHERE d.id = ANY($1) AND r.sensor = ANY($2) AND r.enabled
        """;

    // Whether any enabled rule could apply to the device's readings, whatever their sensors.
    private const string AnyRuleSql = """
        SELECT EXISTS (SELECT 1 FROM devices d
        JOIN alarm_rules r ON r.device_id = d.id OR (r.enclosure_id IS NOT NULL AND r.enclosure_id = d.enclosure_id)
        WHERE d.id = $1 AND r.enabled)
        """;

    private const string EnsureStateSql = """
        INSERT INTO alarm_states (rule_id, device_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING
        """;

    // Locked in one order, so two instances evaluating overlapping batches cannot deadlock.
    private const string LoadStateSql = """
        SELECT s.rule_id, s.device_id, s.pending_since, s.last_time, s.last_value,
               EXISTS (SELECT 1 FROM alarm_events e WHERE e.rule_id = s.rule_id AND e.device_id = s.device_id AND e.resolved_at IS NULL)
        FROM alarm_states s JOIN unnest($1::uuid[], $2::uuid[]) AS k(rule_id, device_id) USING (rule_id, device_id)
        ORDER BY s.rule_id, s.device_id
        FOR UPDATE OF s
        """;

    private const string OpenSql = """
        INSERT INTO alarm_events (rule_id, device_id, sensor, value, started_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (rule_id, device_id) WHERE resolved_at IS NULL DO NOTHING
        """;

    private const string ResolveSql = "UPDATE alarm_events SET resolved_at = $3 WHERE rule_id = $1 AND device_id = $2 AND resolved_at IS NULL";

    private const string SaveStateSql = """
        UPDATE alarm_states SET pending_since = $3, last_time = $4, last_value = $5 WHERE rule_id = $1 AND device_id = $2
        """;

    public async Task OnBatchAcceptedAsync(IReadOnlyList<SensorReading> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        var rules = await RulesAsync(batch, cancellationToken);
        if (rules.Count == 0) return;

        var byDeviceSensor = batch.ToLookup(r => (r.DeviceId, r.Sensor));
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var ruleIds = rules.Select(r => r.RuleId).ToArray();
        var deviceIds = rules.Select(r => r.DeviceId).ToArray();
        await using (var ensure = new NpgsqlCommand(EnsureStateSql, conn, tx))
        {
            ensure.Parameters.Add(Uuids(ruleIds));
            ensure.Parameters.Add(Uuids(deviceIds));
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }
        var memories = new Dictionary<(Guid, Guid), AlarmMemory>();
        await using (var load = new NpgsqlCommand(LoadStateSql, conn, tx))
        {
            load.Parameters.Add(Uuids(ruleIds));
            load.Parameters.Add(Uuids(deviceIds));
            await using var reader = await load.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                memories[(reader.GetGuid(0), reader.GetGuid(1))] = new AlarmMemory(
                    Time(reader, 2), Time(reader, 3), reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.GetBoolean(5));
        }

        var writes = new NpgsqlBatch(conn, tx);
        foreach (var rule in rules)
        {
            var before = memories.GetValueOrDefault((rule.RuleId, rule.DeviceId), new AlarmMemory(null, null, null, false));
            var (after, actions) = AlarmConditions.Evaluate(rule, before, byDeviceSensor[(rule.DeviceId, rule.Sensor)]);
            foreach (var action in actions)
                writes.BatchCommands.Add(action switch
                {
                    OpenAlarm open => Command(OpenSql, rule.RuleId, rule.DeviceId, rule.Sensor, open.Value, open.At),
                    ResolveAlarm resolve => Command(ResolveSql, rule.RuleId, rule.DeviceId, resolve.At),
                    _ => throw new NotSupportedException(action.GetType().Name),
                });
            if (after != before)
                writes.BatchCommands.Add(Command(SaveStateSql, rule.RuleId, rule.DeviceId, after.PendingSince, after.LastTime, after.LastValue));
        }
        if (writes.BatchCommands.Count > 0) await writes.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async ValueTask<bool> WantsAsync(Guid device, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(AnyRuleSql);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = device });
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<List<AlarmRuleTarget>> RulesAsync(IReadOnlyList<SensorReading> batch, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(RulesSql);
        cmd.Parameters.Add(Uuids(batch.Select(r => r.DeviceId).Distinct().ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = batch.Select(r => r.Sensor).Distinct().ToArray() });
        var rules = new List<AlarmRuleTarget>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rules.Add(new AlarmRuleTarget(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetDouble(5), reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.GetInt32(7)));
        // Same order as the state rows are locked in.
        rules.Sort((a, b) => (a.RuleId, a.DeviceId).CompareTo((b.RuleId, b.DeviceId)));
        return rules;
    }

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);

    private static NpgsqlParameter Uuids(Guid[] ids) => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = ids };

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var c = new NpgsqlBatchCommand(sql);
        foreach (var v in values)
            c.Parameters.Add(v switch
            {
                DateTimeOffset t => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = t.ToUniversalTime() },
                double d => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Double, Value = d },
                null => new NpgsqlParameter { Value = DBNull.Value },
                _ => new NpgsqlParameter { Value = v },
            });
        return c;
    }
}
