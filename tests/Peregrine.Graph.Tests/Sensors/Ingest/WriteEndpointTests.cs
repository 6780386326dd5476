using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Graph.Sensors;
using Peregrine.Graph.Sensors.Influx;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors.Ingest;

/// <summary>
/// <c>POST /v1/sensors/write</c> end to end with real device tokens, read back with InfluxQL straight from InfluxDB
/// (the fixture's own database) and checked in SQL: line protocol and JSON, the device forced, other owners' devices
/// refused, bad lines refused with nothing written, retries not duplicating, an alarm rule firing, and the encoder's
/// escaping surviving a real InfluxDB round trip.
/// </summary>
[Collection(SensorCollection.Name)]
public sealed class WriteEndpointTests(SensorFixture fx)
{
    // Recent enough for the 30-day retention policy, fixed to the millisecond so answers can be compared exactly.
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds());

    private static long Ns(DateTimeOffset t) => LineProtocolEncoder.UnixNanoseconds(t);

    private static StringContent Lines(string text) => new(text, Encoding.UTF8, "text/plain");

    private Task<List<Dictionary<string, JsonNode?>>> PointsAsync(Guid device) =>
        fx.InfluxRowsAsync($"SELECT * FROM sensor_readings WHERE device_id = '{device}' ORDER BY time");

    private static async Task<JsonNode> ErrorAsync(HttpResponseMessage r, HttpStatusCode status)
    {
        Assert.Equal(status, r.StatusCode);
        Assert.StartsWith("application/json", r.Content.Headers.ContentType?.ToString());
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task A_device_posts_line_protocol_and_json_and_the_points_are_in_influxdb()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        using var client = SensorDevices.Bearer(fx.Factory.CreateClient(), await SensorDevices.TokenAsync(fx, alice, device));
        Assert.Null(await fx.ScalarAsync<DateTime?>("SELECT last_seen_at FROM devices WHERE id = $1", device));

        var report = Guid.NewGuid();
        using (var r = await client.PostAsync("/v1/sensors/write?precision=ms",
            Lines($"sensor_readings,sensor=temperature value=21.5 {T0.ToUnixTimeMilliseconds()}\n" +
                  $"sensor_readings,device_id={device},sensor=accel,report_id={report} x=0.1,y=-2,z=9.81 {T0.ToUnixTimeMilliseconds()}\n")))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        using (var r = await client.PostAsync("/v1/sensors/write", new StringContent(
            $$"""[{"sensor":"temperature","time":"{{T0.AddSeconds(1):O}}","value":22},{"sensor":"humidity","time":"{{T0.AddSeconds(1):O}}","value":55.25}]""",
            Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);

        var points = await PointsAsync(device);
        Assert.Equal(4, points.Count);
        var accel = points.Single(p => (string?)p["sensor"] == "accel");
        Assert.Equal((0.1, -2.0, 9.81), ((double)accel["x"]!, (double)accel["y"]!, (double)accel["z"]!));
        Assert.Equal(report.ToString(), (string?)accel["report_id"]);
        Assert.Null(accel["value"]);
        Assert.Equal(T0, DateTimeOffset.Parse((string)accel["time"]!));
        Assert.Equal([21.5, 22.0], points.Where(p => (string?)p["sensor"] == "temperature").Select(p => (double)p["value"]!));
        Assert.Equal(55.25, (double)points.Single(p => (string?)p["sensor"] == "humidity")["value"]!);
        Assert.All(points, p => Assert.Equal(device.ToString(), (string?)p["device_id"]));

        // The first request set when the device was last heard from; the second, within 5 s, did not write the row again.
        var seen = await fx.ScalarAsync<DateTime?>("SELECT last_seen_at FROM devices WHERE id = $1", device);
        Assert.NotNull(seen);
        Assert.True(DateTime.UtcNow - seen!.Value < TimeSpan.FromMinutes(1));
        using (var r = await client.PostAsync("/v1/sensors/write", Lines("sensor_readings,sensor=temperature value=23\n")))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        Assert.Equal(seen, await fx.ScalarAsync<DateTime?>("SELECT last_seen_at FROM devices WHERE id = $1", device));
    }

    [Fact]
    public async Task The_device_is_the_tokens_and_other_devices_are_refused()
    {
        var (alice, bob, _) = await SensorUsers.LoadAsync(fx);
        var mine = await SensorDevices.CreateAsync(fx, alice);
        var bobs = await SensorDevices.CreateAsync(fx, bob);
        using var device = SensorDevices.Bearer(fx.Factory.CreateClient(), await SensorDevices.TokenAsync(fx, alice, mine));
        var line = $"sensor_readings,sensor=t value=1 {Ns(T0)}\n";

        // A line naming another device: 400 with the line, nothing written for either device.
        using (var r = await device.PostAsync("/v1/sensors/write", Lines(line + $"sensor_readings,device_id={bobs},sensor=t value=2 {Ns(T0)}")))
            Assert.StartsWith("line 2: device_id " + bobs, (string?)(await ErrorAsync(r, HttpStatusCode.BadRequest))["message"]);
        // The device token asking for another device by parameter: 403.
        using (var r = await device.PostAsync($"/v1/sensors/write?device_id={bobs}", Lines(line)))
            Assert.Equal("permission-error", (string?)(await ErrorAsync(r, HttpStatusCode.Forbidden))["error"]);
        // Alice's user token for Bob's device, and for a device that does not exist: the same 403.
        using var asAlice = fx.ClientAs("user", alice);
        using (var r = await asAlice.PostAsync($"/v1/sensors/write?device_id={bobs}", Lines(line)))
            Assert.Equal("permission-error", (string?)(await ErrorAsync(r, HttpStatusCode.Forbidden))["error"]);
        using (var r = await asAlice.PostAsync($"/v1/sensors/write?device_id={Guid.NewGuid()}", Lines(line)))
            Assert.Equal("permission-error", (string?)(await ErrorAsync(r, HttpStatusCode.Forbidden))["error"]);
        using (var r = await asAlice.PostAsync("/v1/sensors/write", Lines(line)))
            Assert.Contains("device_id query parameter is required", (string?)(await ErrorAsync(r, HttpStatusCode.BadRequest))["message"]);
        // No token, or a forged one: 401.
        using var anonymous = fx.Factory.CreateClient();
        using (var r = await anonymous.PostAsync($"/v1/sensors/write?device_id={mine}", Lines(line)))
            Assert.Equal("access-denied", (string?)(await ErrorAsync(r, HttpStatusCode.Unauthorized))["error"]);
        using var forged = SensorDevices.Bearer(fx.Factory.CreateClient(), "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        using (var r = await forged.PostAsync("/v1/sensors/write", Lines(line)))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Empty(await PointsAsync(mine));
        Assert.Empty(await PointsAsync(bobs));
        Assert.Null(await fx.ScalarAsync<DateTime?>("SELECT last_seen_at FROM devices WHERE id = $1", bobs));

        // The owner's own user token with device_id works; so does the device's token naming itself.
        using (var r = await asAlice.PostAsync($"/v1/sensors/write?device_id={mine}", Lines(line)))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        using (var r = await device.PostAsync($"/v1/sensors/write?device_id={mine}", Lines($"sensor_readings,sensor=t value=2 {Ns(T0.AddSeconds(1))}")))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        Assert.Equal([1.0, 2.0], (await PointsAsync(mine)).Select(p => (double)p["value"]!));
    }

    [Fact]
    public async Task A_bad_body_is_refused_whole_with_its_first_bad_line_and_limits_hold()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        using var client = SensorDevices.Bearer(fx.Factory.CreateClient(), await SensorDevices.TokenAsync(fx, alice, device));

        var good = string.Concat(Enumerable.Range(0, 3).Select(i => $"sensor_readings,sensor=t value={i} {Ns(T0.AddSeconds(i))}\n"));
        using (var r = await client.PostAsync("/v1/sensors/write", Lines(good + "sensor_readings,sensor=t value=oops\n" + good)))
        {
            var error = await ErrorAsync(r, HttpStatusCode.BadRequest);
            Assert.Equal("invalid-readings", (string?)error["error"]);
            Assert.Equal("line 4: field value is not a finite number", (string?)error["message"]);
        }
        using (var r = await client.PostAsync("/v1/sensors/write", new StringContent("""[{"sensor":"t","value":1},{"sensor":"t","value":"x"}]""", Encoding.UTF8, "application/json")))
            Assert.StartsWith("readings[1]: value must be", (string?)(await ErrorAsync(r, HttpStatusCode.BadRequest))["message"]);
        using (var r = await client.PostAsync("/v1/sensors/write?precision=h", Lines(good)))
            Assert.Equal("precision must be ns, us, ms or s", (string?)(await ErrorAsync(r, HttpStatusCode.BadRequest))["message"]);
        using (var r = await client.PostAsync("/v1/sensors/write", Lines("\n# nothing\n")))
            Assert.Equal("the body holds no readings", (string?)(await ErrorAsync(r, HttpStatusCode.BadRequest))["message"]);
        using (var r = await client.PostAsync("/v1/sensors/write", new ByteArrayContent([0x73, 0xff, 0xfe])))
            Assert.Equal("the body is not UTF-8 text", (string?)(await ErrorAsync(r, HttpStatusCode.BadRequest))["message"]);
        // Over the body limit (16 MiB by default), with and without a Content-Length.
        var huge = new string('#', 17 * 1024 * 1024);
        using (var r = await client.PostAsync("/v1/sensors/write", Lines(huge)))
            Assert.Equal("request-too-large", (string?)(await ErrorAsync(r, HttpStatusCode.RequestEntityTooLarge))["error"]);
        using (var r = await client.PostAsync("/v1/sensors/write", new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)))))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Empty(await PointsAsync(device));
        Assert.Null(await fx.ScalarAsync<DateTime?>("SELECT last_seen_at FROM devices WHERE id = $1", device));
    }

    [Fact]
    public async Task The_same_batch_posted_twice_is_stored_once()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        using var client = SensorDevices.Bearer(fx.Factory.CreateClient(), await SensorDevices.TokenAsync(fx, alice, device));
        var batch = string.Concat(Enumerable.Range(0, 1_000).Select(i => $"sensor_readings,sensor=t value={i * 0.5} {Ns(T0.AddSeconds(i))}\n"));
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var r = await client.PostAsync("/v1/sensors/write", Lines(batch));
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }
        var count = await fx.InfluxRowsAsync($"SELECT count(value), sum(value) FROM sensor_readings WHERE device_id = '{device}'");
        Assert.Equal(1_000, (long)count.Single()["count"]!);
        Assert.Equal(Enumerable.Range(0, 1_000).Sum(i => i * 0.5), (double)count.Single()["sum"]!);
    }

    [Fact]
    public async Task A_big_batch_is_written_in_chunks_of_five_thousand_lines_and_all_arrive()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 12_001).Select(i => $"l{i}\n")));
        ReadOnlyMemory<byte> rest = text;
        var chunks = new List<string>();
        while (!rest.IsEmpty) chunks.Add(Encoding.UTF8.GetString(InfluxWriter.TakeLines(ref rest, InfluxWriter.LinesPerRequest).Span));
        Assert.Equal([5_000, 5_000, 2_001], chunks.Select(c => c.Count(ch => ch == '\n')));
        Assert.All(chunks, c => Assert.EndsWith("\n", c));
        Assert.Equal(Encoding.UTF8.GetString(text), string.Concat(chunks));

        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        using var client = SensorDevices.Bearer(fx.Factory.CreateClient(), await SensorDevices.TokenAsync(fx, alice, device));
        var batch = string.Concat(Enumerable.Range(0, 12_345).Select(i => $"sensor_readings,sensor=t value={i} {Ns(T0.AddMilliseconds(i * 10))}\n"));
        using (var r = await client.PostAsync("/v1/sensors/write", Lines(batch)))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        var stats = (await fx.InfluxRowsAsync($"SELECT count(value), sum(value) FROM sensor_readings WHERE device_id = '{device}'")).Single();
        Assert.Equal((12_345L, 12_344.0 * 12_345 / 2), ((long)stats["count"]!, (double)stats["sum"]!));
    }

    [Fact]
    public async Task A_posted_batch_fires_an_alarm_rule_once()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await SensorDevices.CreateAsync(fx, alice);
        var rule = Guid.NewGuid();
        await fx.ScalarAsync<int>("INSERT INTO alarm_rules (id, owner_id, device_id, sensor, condition, threshold, for_seconds, created_at) " +
            "VALUES ($1, $2::uuid, $3, 'temperature', 'above', 30, 0, now() - interval '1 hour')", rule, alice, device);
        using var client = SensorDevices.Bearer(fx.Factory.CreateClient(), await SensorDevices.TokenAsync(fx, alice, device));
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        using (var r = await client.PostAsync("/v1/sensors/write", Lines($"sensor_readings,sensor=temperature value=20 {Ns(now.AddSeconds(-2))}")))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        Assert.Equal(0L, await fx.ScalarAsync<long>("SELECT count(*) FROM alarm_events WHERE rule_id = $1", rule));
        using (var r = await client.PostAsync("/v1/sensors/write",
            Lines($"sensor_readings,sensor=temperature value=45 {Ns(now.AddSeconds(-1))}\nsensor_readings,sensor=temperature value=46 {Ns(now)}")))
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        // The observer ran before the 204: the event is there already, one for the two hot readings.
        Assert.Equal(1L, await fx.ScalarAsync<long>("SELECT count(*) FROM alarm_events WHERE rule_id = $1", rule));
        Assert.Equal(45.0, await fx.ScalarAsync<double>("SELECT value FROM alarm_events WHERE rule_id = $1", rule));
    }

    [Fact]
    public async Task Odd_sensor_names_and_extreme_floats_survive_a_real_influxdb_round_trip()
    {
        var device = Guid.NewGuid();
        var report = Guid.NewGuid();
        var names = new[] { "room 1", "a,b", "k=v", " lead,=trail ", "é ünïcode 温度", "quote\"d", "x\\,", "#hash" };
        var values = new[] { 0.1, -0.0, double.Epsilon, double.MaxValue, -1.0 / 3, 1e21, 123456789.123456789, 42 };
        var readings = names.Where(n => LineProtocolEncoder.InvalidSensorName(n) is null)
            .Select((n, i) => new SensorReading(device, n, T0.AddTicks(i * 1234567), values[i], null, null, null, i % 2 == 0 ? report : null))
            .Append(new SensorReading(device, "accel", T0, null, 1e-300, -2.5, 9.80665, null))
            .ToList();
        Assert.Equal(names.Length, readings.Count); // the backslash name is refused, the vector added
        var writer = fx.Factory.Services.GetRequiredService<InfluxWriter>();
        await writer.WriteAsync(Encoding.UTF8.GetBytes(LineProtocolEncoder.Encode(readings)), CancellationToken.None);

        var body = await fx.InfluxQueryAsync($"SELECT * FROM sensor_readings WHERE device_id = '{device}'");
        var series = body["results"]![0]!["series"]![0]!;
        var columns = series["columns"]!.AsArray().Select(c => (string)c!).ToList();
        var rows = series["values"]!.AsArray().Select(v => columns.Select((c, i) => (c, v![i])).ToDictionary(x => x.c, x => x.Item2)).ToList();
        Assert.Equal(readings.Count, rows.Count);
        foreach (var expected in readings)
        {
            var row = rows.Single(r => (string?)r["sensor"] == expected.Sensor);
            Assert.Equal(expected.Time, DateTimeOffset.Parse((string)row["time"]!));
            Assert.Equal(expected.ReportId?.ToString(), (string?)row["report_id"]);
            if (expected.Value is { } v) Assert.Equal(v, (double)row["value"]!);
            else Assert.Equal((expected.X, expected.Y, expected.Z), ((double?)row["x"], (double?)row["y"], (double?)row["z"]));
        }
    }

    [Fact]
    public async Task Setup_made_the_retention_policies_and_the_one_minute_continuous_query()
    {
        await fx.Factory.Services.GetRequiredService<InfluxWriter>().EnsureSetupAsync(CancellationToken.None);
        var policies = (await fx.InfluxQueryAsync($"SHOW RETENTION POLICIES ON \"{fx.InfluxDatabase}\""))["results"]![0]!["series"]![0]!["values"]!.AsArray();
        var byName = policies.ToDictionary(p => (string)p![0]!, p => ((string)p![1]!, (bool)p[4]!));
        Assert.Contains(byName, p => p.Value == ("720h0m0s", true));
        Assert.Equal(("8736h0m0s", false), byName["one_year"]);
        var cqs = (await fx.InfluxQueryAsync("SHOW CONTINUOUS QUERIES")).ToJsonString();
        Assert.Contains($"CREATE CONTINUOUS QUERY sensor_readings_1m ON {fx.InfluxDatabase}", cqs);
        Assert.Contains("one_year.sensor_readings_1m", cqs);
        Assert.Contains("GROUP BY time(1m), *", cqs);
        // Running it again changes nothing and refuses nothing.
        var writer = new InfluxWriter(fx.Factory.Services.GetRequiredService<Peregrine.Graph.Configuration.PeregrineOptions>(),
            fx.Factory.Services.GetRequiredService<SensorOptions>(), fx.Factory.Services.GetRequiredService<IHttpClientFactory>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<InfluxWriter>.Instance);
        await writer.EnsureSetupAsync(CancellationToken.None);
        Assert.Equal(policies.ToJsonString(), (await fx.InfluxQueryAsync($"SHOW RETENTION POLICIES ON \"{fx.InfluxDatabase}\""))["results"]![0]!["series"]![0]!["values"]!.ToJsonString());
    }
}
