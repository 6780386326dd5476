using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Tests.Sensors.Ingest;

/// <summary>
/// InfluxDB away: writes are answered 204 from the disk spool, the spool survives a server restart, and when
/// InfluxDB comes back (empty: setup runs again) every point arrives exactly once, counted with InfluxQL on that
/// InfluxDB. With the spool full the answer is 503 storage-unavailable. These servers share the fixture's
/// PostgreSQL and keys but have InfluxDB settings and spool folders of their own.
/// </summary>
[Collection(SensorCollection.Name)]
public sealed class OutageTests(SensorFixture fx)
{
    private WebApplicationFactory<Program> Server(string influxUrl, string database, string spool, string? spoolMb = null) =>
        fx.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("PEREGRINE_INFLUX_URL", influxUrl);
            b.UseSetting("PEREGRINE_INFLUX_DB", database);
            b.UseSetting("PEREGRINE_SENSOR_SPOOL_DIR", spool);
            b.UseSetting("PEREGRINE_INFLUX_WRITE_TIMEOUT_SECONDS", "2");
            if (spoolMb is not null) b.UseSetting("PEREGRINE_SENSOR_SPOOL_MB", spoolMb);
        });

    private static string Batch(int from, int count, DateTimeOffset t0) => string.Concat(Enumerable.Range(from, count)
        .Select(i => $"sensor_readings,sensor=temperature value={i} {LineProtocolEncoder.UnixNanoseconds(t0.AddSeconds(i))}\n"));

    private static async Task PostAsync(HttpClient client, string lines)
    {
        using var r = await client.PostAsync("/v1/sensors/write", new StringContent(lines, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
    }

    private static async Task PostAllAsync(HttpClient client, int from, int to, int batchSize, DateTimeOffset t0)
    {
        for (var i = from; i < to; i += batchSize)
        {
            using var r = await client.PostAsync("/v1/sensors/write", new StringContent(Batch(i, batchSize, t0), Encoding.UTF8, "text/plain"));
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }
    }

    [Fact]
    public async Task Ten_thousand_points_written_while_influxdb_is_down_arrive_exactly_once_across_a_restart()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        var token = await SensorDevices.TokenAsync(fx, alice, device);
        var database = "outage_" + Guid.NewGuid().ToString("N")[..8];
        var spool = Path.Combine(Path.GetTempPath(), "peregrine-outage-spool-" + Guid.NewGuid().ToString("N")[..8]);
        var t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-4).ToUnixTimeSeconds());
        await using var influx = new PrivateInflux();
        try
        {
            Assert.False(await influx.PingAsync());
            // First server: 5,000 points in batches of 500 while InfluxDB is down, every one answered 204.
            await using (var first = Server(influx.Url, database, spool))
            {
                using var client = SensorDevices.Bearer(first.CreateClient(), token);
                await PostAllAsync(client, 0, 5_000, 500, t0);
                await PostAsync(client, $"sensor_readings,sensor=order value=1 {LineProtocolEncoder.UnixNanoseconds(t0)}");
            }
            Assert.Equal(11, Directory.GetFiles(spool, "*.seg").Length);

            // A restarted server finds them, and puts its own 5,000 behind them.
            await using var second = Server(influx.Url, database, spool);
            using (var client = SensorDevices.Bearer(second.CreateClient(), token))
            {
                await PostAllAsync(client, 5_000, 10_000, 500, t0);
                // The same series and time again, later: it must land after the first (InfluxDB keeps the last write).
                await PostAsync(client, $"sensor_readings,sensor=order value=2 {LineProtocolEncoder.UnixNanoseconds(t0)}");
            }
            Assert.Equal(22, Directory.GetFiles(spool, "*.seg").Length);

            await influx.StartAsync();
            var clock = Stopwatch.StartNew();
            long count = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                count = await CountAsync(influx, database, device);
                if (count >= 10_000 && Directory.GetFiles(spool, "*.seg").Length == 0) break;
                await Task.Delay(250);
            }
            Console.WriteLine($"spool flushed {clock.Elapsed.TotalSeconds:F1} s after InfluxDB started");
            Assert.Equal(10_000, count);
            Assert.Empty(Directory.GetFiles(spool, "*.seg"));
            // Exactly once, value by value: the sum of 0..9999, and the first and last points where they belong.
            var stats = JsonNode.Parse(await influx.QueryAsync(database, $"SELECT count(value), sum(value), first(value), last(value) FROM sensor_readings WHERE device_id = '{device}' AND sensor = 'temperature'"))!;
            var row = stats["results"]![0]!["series"]![0]!["values"]![0]!.AsArray();
            Assert.Equal((10_000L, 49_995_000.0, 0.0, 9_999.0), ((long)row[1]!, (double)row[2]!, (double)row[3]!, (double)row[4]!));
            // Setup ran against the InfluxDB that came back.
            Assert.Contains("sensor_readings_1m", await influx.QueryAsync(database, "SHOW CONTINUOUS QUERIES"));
            // Batches were flushed in the order they were accepted, across the restart.
            Assert.Contains("[[\"" + t0.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ") + "\",2]]",
                await influx.QueryAsync(database, $"SELECT value FROM sensor_readings WHERE device_id = '{device}' AND sensor = 'order'"));

            // InfluxDB up: a retried batch goes straight in and still counts once.
            using (var client = SensorDevices.Bearer(second.CreateClient(), token))
                await PostAllAsync(client, 0, 500, 500, t0);
            Assert.Equal(10_000, await CountAsync(influx, database, device));
        }
        finally
        {
            if (Directory.Exists(spool)) Directory.Delete(spool, recursive: true);
        }
    }

    [Fact]
    public async Task A_full_spool_answers_503_storage_unavailable_and_keeps_what_it_took()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        var spool = Path.Combine(Path.GetTempPath(), "peregrine-full-spool-" + Guid.NewGuid().ToString("N")[..8]);
        var t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        try
        {
            // Nothing listens on port 1; a 10 KiB spool holds one batch of 50 lines (~5.5 KB), not two.
            await using var server = Server("http://127.0.0.1:1", "full_spool", spool, spoolMb: "0.01");
            using var client = SensorDevices.Bearer(server.CreateClient(), await SensorDevices.TokenAsync(fx, alice, device));
            using (var r = await client.PostAsync("/v1/sensors/write", new StringContent(Batch(0, 50, t0))))
                Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
            using (var r = await client.PostAsync("/v1/sensors/write", new StringContent(Batch(50, 50, t0))))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
                var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
                Assert.Equal("storage-unavailable", (string?)body["error"]);
                Assert.Contains("spool is full", (string?)body["message"]);
            }
            var segment = Assert.Single(Directory.GetFiles(spool, "*.seg"));
            Assert.Equal(Batch(0, 50, t0).Replace("sensor_readings,", $"sensor_readings,device_id={device},"), File.ReadAllText(segment));
        }
        finally
        {
            if (Directory.Exists(spool)) Directory.Delete(spool, recursive: true);
        }
    }

    [Fact]
    public async Task An_influxdb_that_accepts_but_never_answers_is_timed_out_and_the_batch_spooled()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        var spool = Path.Combine(Path.GetTempPath(), "peregrine-slow-spool-" + Guid.NewGuid().ToString("N")[..8]);
        // A listener that takes connections and never reads or answers: InfluxDB hung, not down.
        using var hung = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        hung.Start(backlog: 64);
        var port = ((IPEndPoint)hung.LocalEndpoint).Port;
        var t0 = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        try
        {
            await using var server = Server($"http://127.0.0.1:{port}", "hung", spool);
            using var client = SensorDevices.Bearer(server.CreateClient(), await SensorDevices.TokenAsync(fx, alice, device));
            var clock = Stopwatch.StartNew();
            await PostAsync(client, Batch(0, 10, t0));
            // Answered once the 2 s write timeout passed (setup's own 2 s may come first), not hanging with InfluxDB.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
            Assert.Single(Directory.GetFiles(spool, "*.seg"));
            // With the spool non-empty, the next batch goes straight behind it without waiting on InfluxDB.
            clock.Restart();
            await PostAsync(client, Batch(10, 10, t0));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"took {clock.Elapsed}");
            Assert.Equal(2, Directory.GetFiles(spool, "*.seg").Length);
        }
        finally
        {
            hung.Stop();
            if (Directory.Exists(spool)) Directory.Delete(spool, recursive: true);
        }
    }

    private static async Task<long> CountAsync(PrivateInflux influx, string database, Guid device)
    {
        var body = JsonNode.Parse(await influx.QueryAsync(database, $"SELECT count(value) FROM sensor_readings WHERE device_id = '{device}' AND sensor = 'temperature'"))!;
        return (long?)body["results"]?[0]?["series"]?[0]?["values"]?[0]?[1] ?? 0;
    }
}
