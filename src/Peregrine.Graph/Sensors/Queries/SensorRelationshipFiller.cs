using System.Text.Json.Nodes;
using Peregrine.Graph.Ir;
using Peregrine.Graph.Sensors.Devices;

namespace Peregrine.Graph.Sensors.Queries;

/// <summary>
/// Completes a root field's JSON whose rows reach into InfluxDB: PostgreSQL left a marker
/// <c>{"$sensors": path, "key": id}</c> where each such field goes (only on rows the role may see); this collects
/// the keys of every marker of one field, runs ONE InfluxQL query for all of them, and puts each row's readings in
/// place of its marker. Readings recorded with a report are shown only for devices the session may read.
/// </summary>
public sealed class SensorRelationshipFiller(SensorReadQueries reads, DeviceAccess access)
{
    public async Task<string> CompleteAsync(string json, IReadOnlyList<SensorRelationshipField> fields, Session session, CancellationToken ct)
    {
        var root = JsonNode.Parse(json);
        var markers = new List<(JsonNode Parent, string? Key, int Index, string Path, Guid Id)>();
        Collect(root, null, null, -1, markers);
        if (markers.Count == 0) return json;

        var byPath = fields.GroupBy(f => f.Path).ToDictionary(g => g.Key, g => g.First());
        foreach (var group in markers.GroupBy(m => m.Path))
        {
            var field = byPath[group.Key];
            var ids = group.Select(m => m.Id).Distinct().ToList();
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

    private async Task<ILookup<string, SensorRow>> ReadAsync(SensorRelationshipField field, IReadOnlyCollection<Guid> ids, Session session, CancellationToken ct)
    {
        switch (field.Kind)
        {
            case SensorRelationshipKind.LatestReadings:
                return await reads.LatestAsync(ids, field.Range.Sensor, ct);
            case SensorRelationshipKind.DeviceReadings:
                return await reads.DeviceReadingsAsync(ids, field.Range, ct);
            default:
                var found = await reads.ReportReadingsAsync(ids, field.Range, ct);
                var devices = found.SelectMany(g => g).Select(r => Guid.TryParse(r.DeviceId, out var d) ? d : Guid.Empty).Distinct().ToList();
                var readable = await access.ReadableAsync(session, devices, ct);
                return found.SelectMany(g => g)
                    .Where(r => Guid.TryParse(r.DeviceId, out var d) && readable.Contains(d))
                    .ToLookup(r => r.ReportId ?? "");
        }
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
