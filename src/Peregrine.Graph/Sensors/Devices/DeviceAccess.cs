using Npgsql;
using NpgsqlTypes;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Ir.Permissions;
using Peregrine.Graph.Metadata;
using Peregrine.Graph.Schema;
using Peregrine.Graph.Sessions;
using Peregrine.Graph.Sql;
using Peregrine.Graph.Sql.BoolExp;

namespace Peregrine.Graph.Sensors.Devices;

/// <summary>
/// "May this session read / write the readings of these devices?", answered in PostgreSQL with the role's own
/// rules on <c>devices</c> (permissions.json), so time-series in InfluxDB are guarded exactly as the device rows
/// are: a session may <b>read</b> a device's readings when its select rule shows the device row (owners, enclosure
/// members, the device itself, admins), and <b>write</b> them when its update rule lets it change the row (the
/// owner, the device itself, admins). One parameterised statement per call, whatever the number of ids; a device
/// that does not exist is in neither answer, so guessing ids tells nothing. Grants are remembered for a few seconds
/// (<see cref="DeviceAccessCache"/>) and forgotten as soon as device ownership or membership changes.
/// </summary>
public sealed class DeviceAccess(SchemaRegistry schemas, NpgsqlDataSource dataSource)
{
    private readonly DeviceAccessCache _cache = new();

    /// <summary>Who may use a device changed, or changes may have been missed: forget every remembered grant.</summary>
    public void Invalidate() => _cache.Invalidate();

    public const string DevicesTable = "devices";

    /// <summary>The ids among <paramref name="deviceIds"/> whose readings <paramref name="session"/> may read.</summary>
    public Task<IReadOnlySet<Guid>> ReadableAsync(Session session, IReadOnlyCollection<Guid> deviceIds, CancellationToken ct) =>
        FilterAsync(session, deviceIds, DeviceOperation.Read, ct);

    /// <summary>The ids among <paramref name="deviceIds"/> whose readings <paramref name="session"/> may write.</summary>
    public Task<IReadOnlySet<Guid>> WritableAsync(Session session, IReadOnlyCollection<Guid> deviceIds, CancellationToken ct) =>
        FilterAsync(session, deviceIds, DeviceOperation.Write, ct);

    public async Task<bool> CanReadAsync(Session session, Guid deviceId, CancellationToken ct) =>
        (await ReadableAsync(session, [deviceId], ct)).Contains(deviceId);

    public async Task<bool> CanWriteAsync(Session session, Guid deviceId, CancellationToken ct) =>
        (await WritableAsync(session, [deviceId], ct)).Contains(deviceId);

    private async Task<IReadOnlySet<Guid>> FilterAsync(Session session, IReadOnlyCollection<Guid> deviceIds, DeviceOperation operation, CancellationToken ct)
    {
        if (deviceIds.Count == 0) return new HashSet<Guid>();
        var sessionKey = DeviceAccessCache.SessionKey(session);
        if (_cache.AllGranted(operation, sessionKey, deviceIds)) return deviceIds.ToHashSet();
        var generation = _cache.Generation;
        if (Compile(session, operation) is not { } statement) return new HashSet<Guid>();
        await using var cmd = dataSource.CreateCommand(statement.Sql);
        cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid, Value = deviceIds.Distinct().ToArray() });
        // The filter's own parameters are text, cast by PostgreSQL where they are compared (as the API's statements do).
        foreach (var p in statement.Parameters.Skip(1))
            cmd.Parameters.Add(p is string[] a
                ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = a }
                : new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = p ?? DBNull.Value });
        var found = new HashSet<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add(reader.GetGuid(0));
        _cache.Grant(operation, sessionKey, found, generation);
        return found;
    }

    /// <summary>
    /// <c>SELECT d.id FROM devices d WHERE d.id = ANY($1) AND (role filter)</c>; null when the role has no such
    /// rule on devices at all. Public so tests can read the SQL a role's check runs.
    /// </summary>
    public CompiledStatement? Compile(Session session, DeviceOperation operation)
    {
        var catalog = schemas.For(session).Catalog;
        if (catalog.FindTable(DevicesTable) is not { } table) return null;
        BoolExp? filter;
        if (session.IsAdmin) filter = null;
        else
        {
            var rules = new RoleRules(catalog, session);
            switch (operation)
            {
                case DeviceOperation.Read when table.Access.CanSelect: filter = rules.Select(table).Filter; break;
                case DeviceOperation.Write when table.Access.CanUpdate: filter = rules.UpdateFilter(table); break;
                default: return null;
            }
        }
        var w = new SqlWriter();
        var alias = w.NextAlias("d");
        w.Append("SELECT ").Append(alias).Append(".id FROM ").Ident(DevicesTable).Append(' ').Append(alias)
            .Append(" WHERE ").Append(alias).Append(".id = ANY(").Param(null).Append("::uuid[])");
        if (filter is not null)
        {
            w.Append(" AND (");
            BoolExpSql.Write(w, filter, alias);
            w.Append(')');
        }
        return w.Build();
    }
}

/// <summary>What a session wants to do with a device's readings.</summary>
public enum DeviceOperation
{
    Read,
    Write,
}
