using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>
/// <c>insert_sensor_readings</c> over HTTP GraphQL, checked against InfluxDB itself: what is written, idempotent
/// retries, all-or-nothing permission on every device named, and refused shapes (nothing written).
/// </summary>
[Collection(SensorCollection.Name)]
public sealed class SensorInsertTests(SensorFixture fx)
{
    // Two days back: inside the 30-day retention policy whenever the tests run.
    private static readonly string Day = DateTime.UtcNow.Date.AddDays(-2).ToString("yyyy-MM-dd");

    private const string Insert = "mutation($o: [sensor_readings_insert_input!]!) { insert_sensor_readings(objects: $o) { affected_rows __typename } }";

    private async Task<Guid> NewDeviceAsync(string owner)
    {
        var id = Guid.NewGuid();
        await fx.ScalarAsync<int>("INSERT INTO devices (id, owner_id, name, kind) VALUES ($1, $2::uuid, 'insert test', 'probe')", id, owner);
        return id;
    }

    private Task<List<Dictionary<string, JsonNode?>>> StoredAsync(Guid device) =>
        fx.InfluxRowsAsync($"SELECT value, x, y, z, sensor, report_id FROM sensor_readings WHERE device_id = '{device}'");

    [Fact]
    public async Task Readings_are_written_to_InfluxDB_and_a_retry_makes_no_duplicates()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await NewDeviceAsync(alice);
        var report = Guid.NewGuid();
        var objects = new object[]
        {
            new { device_id = device, sensor = "temperature", time = $"{Day}T08:00:00Z", value = 21.25 },
            new { device_id = device, sensor = "temperature", time = $"{Day}T08:00:01.5Z", value = 21.5 },
            new { device_id = device, sensor = "accelerometer", time = $"{Day}T08:00:00Z", x = 0.1, y = -0.2, z = 9.8, report_id = report },
        };
        var first = await fx.GraphQLAsync(Insert, new { o = objects }, fx.ClientAs("user", alice));
        Assert.Equal(3, (int)first.Data()["insert_sensor_readings"]!["affected_rows"]!);
        Assert.Equal("sensor_readings_mutation_response", (string?)first.Data()["insert_sensor_readings"]!["__typename"]);
        var retry = await fx.GraphQLAsync(Insert, new { o = objects }, fx.ClientAs("user", alice));
        Assert.Equal(3, (int)retry.Data()["insert_sensor_readings"]!["affected_rows"]!);

        var stored = await StoredAsync(device);
        Assert.Equal(3, stored.Count);
        Assert.Equal([$"{Day}T08:00:00Z", $"{Day}T08:00:00Z", $"{Day}T08:00:01.5Z"], stored.Select(s => (string?)s["time"]));
        var vector = stored.Single(s => (string?)s["sensor"] == "accelerometer");
        Assert.Equal(report.ToString(), (string?)vector["report_id"]);
        Assert.Equal(9.8, (double)vector["z"]!);
        Assert.Null(vector["value"]);
    }

    [Fact]
    public async Task A_reading_without_time_gets_the_request_time()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await NewDeviceAsync(alice);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var r = await fx.GraphQLAsync(Insert, new { o = new[] { new { device_id = device, sensor = "humidity", value = 55.0 } } }, fx.ClientAs("user", alice));
        r.Data();
        var time = DateTimeOffset.Parse((string)(await StoredAsync(device)).Single()["time"]!);
        Assert.InRange(time, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Whole_numbers_are_floats_whether_literals_or_variables()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await NewDeviceAsync(alice);
        // GraphQL's Float accepts an Int literal; a literal arrives as a whole-number node, a variable as JSON.
        var literal = await fx.GraphQLAsync(
            $"mutation($d: uuid!) {{ insert_sensor_readings(objects: [{{device_id: $d, sensor: \"t\", value: 1, time: \"{Day}T00:00:00Z\"}}, {{device_id: $d, sensor: \"g\", x: 0, y: -2, z: 10, time: \"{Day}T00:00:00Z\"}}]) {{ affected_rows }} }}",
            new { d = device }, fx.ClientAs("user", alice));
        Assert.Equal(2, (int)literal.Data()["insert_sensor_readings"]!["affected_rows"]!);
        var variable = await fx.GraphQLAsync(Insert,
            new { o = new[] { new { device_id = device, sensor = "t", time = $"{Day}T00:00:01Z", value = 2 } } }, fx.ClientAs("user", alice));
        Assert.Equal(1, (int)variable.Data()["insert_sensor_readings"]!["affected_rows"]!);

        var stored = await StoredAsync(device);
        Assert.Equal([1.0, 2.0], stored.Where(s => (string?)s["sensor"] == "t").Select(s => (double)s["value"]!));
        var g = stored.Single(s => (string?)s["sensor"] == "g");
        Assert.Equal((0.0, -2.0, 10.0), ((double)g["x"]!, (double)g["y"]!, (double)g["z"]!));
    }

    [Fact]
    public async Task Another_users_device_in_the_batch_refuses_the_whole_batch()
    {
        var (alice, bob, carol) = await SensorUsers.LoadAsync(fx);
        var mine = await NewDeviceAsync(alice);
        var theirs = await NewDeviceAsync(bob);
        var r = await fx.GraphQLAsync(Insert, new
        {
            o = new object[]
            {
                new { device_id = mine, sensor = "t", time = $"{Day}T00:00:00Z", value = 1.0 },
                new { device_id = theirs, sensor = "t", time = $"{Day}T00:00:00Z", value = 666.0 },
            },
        }, fx.ClientAs("user", alice));
        Assert.Equal("permission-error", r.ErrorCode());
        Assert.Empty(await StoredAsync(mine));
        Assert.Empty(await StoredAsync(theirs));
        // A device that does not exist answers the same.
        var ghost = await fx.GraphQLAsync(Insert, new { o = new[] { new { device_id = Guid.NewGuid(), sensor = "t", value = 1.0 } } }, fx.ClientAs("user", alice));
        Assert.Equal("permission-error", ghost.ErrorCode());
        // Carol views Alice's terrarium: she may read its devices, not write their readings.
        var terrariumDevice = Peregrine.Domain.Seeding.DemoSensors.TerrariumClimateId;
        var viewer = await fx.GraphQLAsync(Insert, new { o = new[] { new { device_id = terrariumDevice, sensor = "t", value = 1.0, time = $"{Day}T00:00:00Z" } } }, fx.ClientAs("user", carol));
        Assert.Equal("permission-error", viewer.ErrorCode());
    }

    [Fact]
    public async Task A_reading_older_than_the_retention_policy_is_refused_not_dropped_later()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await NewDeviceAsync(alice);
        var old = DateTimeOffset.UtcNow.AddDays(-40).ToString("O");
        var r = await fx.GraphQLAsync(Insert, new { o = new object[]
        {
            new { device_id = device, sensor = "t", value = 1.0, time = $"{Day}T00:00:00Z" },
            new { device_id = device, sensor = "t", value = 2.0, time = old },
        } }, fx.ClientAs("user", alice));
        Assert.Equal("data-exception", r.ErrorCode());
        Assert.Contains("older than the retention policy keeps (30d)", (string?)r["errors"]![0]!["message"]);
        Assert.Equal("$.selectionSet.insert_sensor_readings.args.objects[1].time", (string?)r["errors"]![0]!["extensions"]!["path"]);
        Assert.Empty(await StoredAsync(device));
    }

    [Fact]
    public async Task Bad_shapes_are_refused_and_nothing_is_written()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await NewDeviceAsync(alice);
        object[] bad =
        [
            new { device_id = device, sensor = "v", x = 1.0, y = 2.0 },
            new { device_id = device, sensor = "v" },
            new { device_id = device, sensor = "v", value = 1.0, x = 1.0, y = 2.0, z = 3.0 },
            new { device_id = device, sensor = "", value = 1.0 },
            new { device_id = device, sensor = "v", value = 1.0, time = "yesterday-ish" },
        ];
        foreach (var o in bad)
        {
            var r = await fx.GraphQLAsync(Insert, new { o = new[] { new { device_id = device, sensor = "ok", value = 1.0, time = $"{Day}T00:00:00Z" }, o } },
                fx.ClientAs("user", alice));
            Assert.Equal("data-exception", r.ErrorCode());
        }
        Assert.Empty(await StoredAsync(device));
    }
}
