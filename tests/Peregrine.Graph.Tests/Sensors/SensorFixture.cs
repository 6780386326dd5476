using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>
/// The shared server plus the real InfluxDB that <c>./peregrine services start</c> runs, with a database of its own
/// (<see cref="InfluxDatabase"/>, dropped at the end) and a spool folder of its own, so sensor tests never see
/// each other's points. <see cref="InfluxQueryAsync"/> and <see cref="InfluxWriteAsync"/> talk to InfluxDB directly:
/// the independent truth answers are compared with.
/// </summary>
public sealed class SensorFixture : PeregrineFixture
{
    public static readonly string InfluxUrl = Environment.GetEnvironmentVariable("PEREGRINE_INFLUX_URL") ?? "http://127.0.0.1:28086";

    public string InfluxDatabase { get; } = "peregrine_test_" + Guid.NewGuid().ToString("N")[..12];
    public string SpoolDirectory { get; } = Path.Combine(Path.GetTempPath(), "peregrine-spool-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly HttpClient _influx = new() { BaseAddress = new Uri(InfluxUrl), Timeout = TimeSpan.FromSeconds(30) };

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("PEREGRINE_INFLUX_URL", InfluxUrl);
        builder.UseSetting("PEREGRINE_INFLUX_DB", InfluxDatabase);
        builder.UseSetting("PEREGRINE_SENSOR_SPOOL_DIR", SpoolDirectory);
        // The insert tests send many mutations as one user within a second; the limiter has its own tests.
        builder.UseSetting("PEREGRINE_MUTATIONS_PER_SECOND", "0");
    }

    /// <summary>One InfluxQL statement straight to InfluxDB (<c>/query</c>, this fixture's database, RFC 3339 times).</summary>
    public async Task<JsonNode> InfluxQueryAsync(string influxQl)
    {
        using var response = await _influx.PostAsync("/query", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["db"] = InfluxDatabase,
            ["q"] = influxQl,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonNode>() ?? throw new InvalidOperationException("empty InfluxDB answer");
        response.EnsureSuccessStatusCode();
        return body;
    }

    /// <summary>The rows of the first series of the first statement, each as column → value (none when there are no points).</summary>
    public async Task<List<Dictionary<string, JsonNode?>>> InfluxRowsAsync(string influxQl)
    {
        var body = await InfluxQueryAsync(influxQl);
        var series = body["results"]?[0]?["series"]?[0];
        if (series is null) return [];
        var columns = series["columns"]!.AsArray().Select(c => (string)c!).ToArray();
        return series["values"]!.AsArray()
            .Select(v => columns.Select((c, i) => (c, v![i]?.DeepClone())).ToDictionary(x => x.c, x => x.Item2))
            .ToList();
    }

    /// <summary>Line protocol straight to InfluxDB's <c>/write</c> (nanosecond times), creating the database first.</summary>
    public async Task InfluxWriteAsync(string lines)
    {
        await InfluxQueryAsync($"CREATE DATABASE \"{InfluxDatabase}\"");
        using var response = await _influx.PostAsync($"/write?db={InfluxDatabase}", new StringContent(lines));
        response.EnsureSuccessStatusCode();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try { await InfluxQueryAsync($"DROP DATABASE \"{InfluxDatabase}\""); } catch (HttpRequestException) { }
        _influx.Dispose();
        if (Directory.Exists(SpoolDirectory)) Directory.Delete(SpoolDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SensorCollection : ICollectionFixture<SensorFixture>
{
    public const string Name = "sensors";
}
