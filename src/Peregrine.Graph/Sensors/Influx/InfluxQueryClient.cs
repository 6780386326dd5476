using System.Net.Http.Json;
using System.Text.Json;
using Peregrine.Graph.Errors;

namespace Peregrine.Graph.Sensors.Influx;

/// <summary>One series of an InfluxQL answer: its group tags, its columns and its rows (values as InfluxDB sent them).</summary>
public sealed record InfluxSeries(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Columns, IReadOnlyList<JsonElement[]> Rows)
{
    public int Column(string name)
    {
        for (var i = 0; i < Columns.Count; i++) if (Columns[i] == name) return i;
        return -1;
    }
}

/// <summary>
/// Reads from InfluxDB's v1 <c>/query</c> endpoint (Debian's 1.6, and the v1 compatibility API of 2.x and 3):
/// one HTTP call per InfluxQL statement, times as RFC 3339 strings. InfluxDB down, slow or not configured →
/// <see cref="StorageUnavailableError"/> (503); a database that holds no points yet answers no series.
/// </summary>
public sealed class InfluxQueryClient(HttpClient http, string? baseUrl, string database)
{
    public string Database => database;

    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string influxQl, CancellationToken ct)
    {
        if (baseUrl is null) throw new StorageUnavailableError("sensor readings are not available: PEREGRINE_INFLUX_URL is not set");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["db"] = database, ["q"] = influxQl });
        JsonDocument body;
        try
        {
            // POST keeps long statements (many device ids) out of the URL.
            using var response = await http.PostAsync(new Uri(new Uri(baseUrl), "/query"), content, ct);
            if ((int)response.StatusCode >= 500)
                throw new StorageUnavailableError($"InfluxDB answered {(int)response.StatusCode}");
            body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), default, ct);
        }
        catch (HttpRequestException e) { throw new StorageUnavailableError("InfluxDB is unreachable: " + e.Message); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { throw new StorageUnavailableError("InfluxDB did not answer in time"); }
        using (body)
        {
            var root = body.RootElement;
            if (root.TryGetProperty("error", out var top)) throw Failed(top.GetString());
            if (!root.TryGetProperty("results", out var results) || results.GetArrayLength() == 0) return [];
            var first = results[0];
            if (first.TryGetProperty("error", out var error))
            {
                var message = error.GetString() ?? "";
                if (message.StartsWith("database not found", StringComparison.Ordinal)) return [];
                throw Failed(message);
            }
            if (!first.TryGetProperty("series", out var series)) return [];
            var list = new List<InfluxSeries>(series.GetArrayLength());
            foreach (var s in series.EnumerateArray())
            {
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                if (s.TryGetProperty("tags", out var t))
                    foreach (var p in t.EnumerateObject()) tags[p.Name] = p.Value.GetString() ?? "";
                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToList();
                var rows = s.TryGetProperty("values", out var v)
                    ? v.EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.Clone()).ToArray()).ToList()
                    : [];
                list.Add(new InfluxSeries(tags, columns, rows));
            }
            return list;
        }
    }

    // Statements are built from checked values only, so an error here is InfluxDB's (overloaded, shard trouble).
    private static StorageUnavailableError Failed(string? message) => new("InfluxDB could not answer: " + message);
}
