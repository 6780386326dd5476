using System.Text.Json.Nodes;
using Peregrine.Graph.Errors;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sensors.Devices;
using Peregrine.Graph.Sessions;

namespace Peregrine.Graph.Sensors.Queries;

/// <summary>
/// Completes a root field's JSON whose rows reach into InfluxDB: PostgreSQL left a marker
/// <c>{"$sensors": path, "key": id}</c> where each such field goes (only on rows the role may see); this collects
/// the keys of every marker of one field, runs ONE InfluxQL query for all of them, and puts each row's readings in
/// place of its marker. Every device is checked against the session's own rules before its readings are shown
/// (also for readings recorded with a report): a jsonb value can hold an object shaped like a marker, so a marker
/// proves nothing about the row it sits in. A forged marker therefore only ever gets readings the session may read,
/// and one naming no field of this request is left as it is.
/// </summary>
public sealed class SensorRelationshipFiller(SensorReadQueries reads, DeviceAccess access)
{
    /// <summary>Parents per InfluxQL statement: each is an OR term, and a statement must stay a reasonable size.</summary>
    public const int IdsPerQuery = 500;

    /// <summary>Most readings one relationship field may return over all its rows (limit × rows, checked first).</summary>
    public const int MaxReadingsPerField = 100_000;

    public async Task<string> CompleteAsync(string json, IReadOnlyList<SensorRelationshipField> fields, Session session, CancellationToken ct)
    {
        var root = JsonNode.Parse(json);
        var markers = new List<(JsonNode Parent, string? Key, int Index, string Path, Guid Id)>();
        Collect(root, null, null, -1, markers);
        if (markers.Count == 0) return json;

        var byPath = fields.GroupBy(f => f.Path).ToDictionary(g => g.Key, g => g.First());
        foreach (var group in markers.GroupBy(m => m.Path))
        {
            if (!byPath.TryGetValue(group.Key, out var field)) continue;
            var ids = group.Select(m => m.Id).Distinct().ToList();
            var most = (long)field.Range.Limit * ids.Count;
            if (field.Kind != SensorRelationshipKind.LatestReadings && most > MaxReadingsPerField)
                throw new ValidationFailedError(
                    $"this field could return up to {most} readings ({ids.Count} rows × limit {field.Range.Limit}); at most {MaxReadingsPerField}: pass a smaller limit or select fewer rows",
                    field.Path);
            var rows = await ReadAsync(field, ids, session, ct);
            foreach (var m in group)
            {
                var array = JsonNode.Parse(SensorJson.Array(rows[m.Id.ToString("D")], field.Selection));
                if (m.Key is not null) ((JsonObject)m.Parent)[m.Key] = array;
                else ((JsonArray)m.Parent)[m.Index] = array;
            }
        }
        return root!.ToJsonString();
    }

    private async Task<ILookup<string, SensorRow>> ReadAsync(SensorRelationshipField field, IReadOnlyList<Guid> ids, Session session, CancellationToken ct)
    {
        if (field.Kind == SensorRelationshipKind.ReportReadings)
        {
            var found = new List<SensorRow>();
            foreach (var chunk in ids.Chunk(IdsPerQuery))
                found.AddRange((await reads.ReportReadingsAsync(chunk, field.Range, ct)).SelectMany(g => g));
            var devices = found.Select(r => Guid.TryParse(r.DeviceId, out var d) ? d : Guid.Empty).Distinct().ToList();
            var readable = await access.ReadableAsync(session, devices, ct);
            return found.Where(r => Guid.TryParse(r.DeviceId, out var d) && readable.Contains(d)).ToLookup(r => r.ReportId ?? "");
        }
        var allowed = (await access.ReadableAsync(session, ids, ct)).ToList();
        var rows = new List<SensorRow>();
        foreach (var chunk in allowed.Chunk(IdsPerQuery))
            rows.AddRange((field.Kind == SensorRelationshipKind.LatestReadings
                ? await reads.LatestAsync(chunk, field.Range.Sensor, ct)
                : await reads.DeviceReadingsAsync(chunk, field.Range, ct)).SelectMany(g => g));
        return rows.ToLookup(r => r.DeviceId);
    }

    private static void Collect(JsonNode? node, JsonNode? parent, string? key, int index,
        List<(JsonNode Parent, string? Key, int Index, string Path, Guid Id)> markers)
    {
        switch (node)
        {
            case JsonObject o when o.TryGetPropertyValue(SensorRelationshipField.Marker, out var path) && parent is not null:
                if (Guid.TryParse((string?)o["key"], out var id)) markers.Add((parent, key, index, (string)path!, id));
                break;
            case JsonObject o:
                foreach (var (k, v) in o) Collect(v, o, k, -1, markers);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++) Collect(a[i], a, null, i, markers);
                break;
        }
    }
}
