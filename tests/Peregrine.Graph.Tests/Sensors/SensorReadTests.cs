using System.Globalization;
using System.Text.Json.Nodes;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>
/// The read side of sensors over HTTP GraphQL, against points written straight into the fixture's InfluxDB database:
/// <c>sensor_readings</c>, <c>sensor_series</c>, <c>devices { latest_readings readings }</c> and
/// <c>phenom_reports { sensor_readings }</c>, each answer compared with InfluxQL run directly, and the permission
/// rules (another user's device reads as one that does not exist). Each test makes devices of its own in SQL.
/// </summary>
[Collection(SensorCollection.Name)]
public sealed class SensorReadTests(SensorFixture fx)
{
    // Inside the 30-day retention policy whenever the tests run (older points are refused or dropped).
    private static readonly DateTimeOffset Start = new(DateTime.UtcNow.Date.AddDays(-5), TimeSpan.Zero);

    private async Task<Guid> NewDeviceAsync(string owner)
    {
        var id = Guid.NewGuid();
        await fx.ScalarAsync<int>("INSERT INTO devices (id, owner_id, name, kind) VALUES ($1, $2::uuid, 'test device', 'probe')", id, owner);
        return id;
    }

    private static long Ns(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks * 100;

    private static string Line(Guid device, string sensor, DateTimeOffset t, double value, Guid? report = null) =>
        $"sensor_readings,device_id={device},sensor={sensor}{(report is { } r ? $",report_id={r}" : "")} value={value.ToString("R", CultureInfo.InvariantCulture)} {Ns(t)}";

    [Fact]
    public async Task Sensor_readings_answers_what_InfluxDB_holds_in_order_and_limit()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await NewDeviceAsync(alice);
        var lines = Enumerable.Range(0, 50).Select(i => Line(device, i % 2 == 0 ? "temperature" : "humidity", Start.AddSeconds(i), 20 + i * 0.25));
        await fx.InfluxWriteAsync(string.Join('\n', lines)
            + $"\nsensor_readings,device_id={device},sensor=accelerometer x=0.5,y=-1.25,z=9.81 {Ns(Start.AddSeconds(100))}");

        var r = await fx.GraphQLAsync("""
            query($d: uuid!, $from: timestamptz!) {
              all: sensor_readings(device_id: $d, from: $from) { time device_id sensor value x y z report_id }
              temps: sensor_readings(device_id: $d, sensor: "temperature", from: $from, limit: 5, order: desc) { time value }
            }
            """, new { d = device, from = Start.ToString("O") }, fx.ClientAs("user", alice));
        var data = r.Data();

        var truth = await fx.InfluxRowsAsync($"SELECT value, x, y, z, sensor FROM sensor_readings WHERE device_id = '{device}'");
        var all = data["all"]!.AsArray();
        Assert.Equal(51, truth.Count);
        Assert.Equal(truth.Count, all.Count);
        for (var i = 0; i < truth.Count; i++)
        {
            Assert.Equal((string?)truth[i]["time"], (string?)all[i]!["time"]);
            Assert.Equal((string?)truth[i]["sensor"], (string?)all[i]!["sensor"]);
            Assert.Equal((double?)truth[i]["value"], (double?)all[i]!["value"]);
            Assert.Equal(device.ToString(), (string?)all[i]!["device_id"]);
            Assert.Null(all[i]!["report_id"]);
        }
        var vector = all[^1]!;
        Assert.Equal([0.5, -1.25, 9.81], new[] { (double)vector["x"]!, (double)vector["y"]!, (double)vector["z"]! });
        Assert.Null(vector["value"]);

        var temps = data["temps"]!.AsArray();
        var tempTruth = await fx.InfluxRowsAsync($"SELECT value FROM sensor_readings WHERE device_id = '{device}' AND sensor = 'temperature' ORDER BY time DESC LIMIT 5");
        Assert.Equal(tempTruth.Select(t => (string?)t["time"]), temps.Select(t => (string?)t!["time"]));
        Assert.Equal(tempTruth.Select(t => (double?)t["value"]), temps.Select(t => (double?)t!["value"]));
    }

    [Fact]
    public async Task Another_users_device_reads_like_one_that_does_not_exist()
    {
        var (alice, bob, _) = await SensorUsers.LoadAsync(fx);
        var device = await NewDeviceAsync(alice);
        await fx.InfluxWriteAsync(Line(device, "temperature", Start, 21.5));
        const string q = """
            query($d: uuid!, $from: timestamptz!, $to: timestamptz!) {
              sensor_readings(device_id: $d, from: $from) { value }
              sensor_series(device_id: $d, sensor: "temperature", from: $from, to: $to, every: "1h") { value }
            }
            """;
        var mine = (await fx.GraphQLAsync(q, new { d = device, from = Start.ToString("O"), to = Start.AddDays(1).ToString("O") }, fx.ClientAs("user", alice))).Data();
        Assert.Single(mine["sensor_readings"]!.AsArray());
        Assert.Single(mine["sensor_series"]!.AsArray());

        foreach (var id in new[] { device, Guid.NewGuid() })
        {
            var theirs = (await fx.GraphQLAsync(q, new { d = id, from = Start.ToString("O"), to = Start.AddDays(1).ToString("O") }, fx.ClientAs("user", bob))).Data();
            Assert.Empty(theirs["sensor_readings"]!.AsArray());
            Assert.Empty(theirs["sensor_series"]!.AsArray());
        }
        // Bob cannot reach the readings through the relationship either: the device row is not his to see.
        var rel = (await fx.GraphQLAsync("query($d: uuid!) { devices(where: {id: {_eq: $d}}) { latest_readings { value } } }",
            new { d = device }, fx.ClientAs("user", bob))).Data();
        Assert.Empty(rel["devices"]!.AsArray());
    }

    [Fact]
    public async Task Sensor_series_buckets_match_InfluxQL_and_are_bounded()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await NewDeviceAsync(alice);
        // 10 minutes of 1 Hz data with a gap of two minutes.
        var lines = Enumerable.Range(0, 600).Where(i => i < 180 || i >= 300)
            .Select(i => Line(device, "temperature", Start.AddSeconds(i), Math.Round(20 + Math.Sin(i / 30.0) * 3, 3)));
        await fx.InfluxWriteAsync(string.Join('\n', lines));
        var to = Start.AddMinutes(10);

        foreach (var (fn, fill, influxFill) in new[] { ("mean", "none", "none"), ("max", "null_value", "null"), ("count", "previous", "previous"), ("min", "linear", "linear") })
        {
            var r = await fx.GraphQLAsync($$"""
                query($d: uuid!, $from: timestamptz!, $to: timestamptz!) {
                  sensor_series(device_id: $d, sensor: "temperature", from: $from, to: $to, every: "1m", fn: {{fn}}, fill: {{fill}}) { time value }
                }
                """, new { d = device, from = Start.ToString("O"), to = to.ToString("O") }, fx.ClientAs("user", alice));
            var points = r.Data()["sensor_series"]!.AsArray();
            var truth = await fx.InfluxRowsAsync(
                $"SELECT {fn}(value) FROM sensor_readings WHERE device_id = '{device}' AND sensor = 'temperature' AND time >= '{Start:yyyy-MM-ddTHH:mm:ssZ}' AND time < '{to:yyyy-MM-ddTHH:mm:ssZ}' GROUP BY time(1m) fill({influxFill})");
            Assert.Equal(truth.Count, points.Count);
            Assert.Equal(fill == "none" ? 8 : 10, points.Count);
            for (var i = 0; i < truth.Count; i++)
            {
                Assert.Equal((string?)truth[i]["time"], (string?)points[i]!["time"]);
                Assert.Equal((double?)truth[i][fn], (double?)points[i]!["value"]);
            }
        }

        var tooMany = await fx.GraphQLAsync("""
            query($d: uuid!) { sensor_series(device_id: $d, sensor: "temperature", from: "2026-01-01T00:00:00Z", to: "2026-12-01T00:00:00Z", every: "1m") { value } }
            """, new { d = device }, fx.ClientAs("user", alice));
        Assert.Equal("validation-failed", tooMany.ErrorCode());
        Assert.Contains("at most 10000", (string?)tooMany["errors"]![0]!["message"]);
        var badEvery = await fx.GraphQLAsync("""
            query($d: uuid!) { sensor_series(device_id: $d, sensor: "temperature", from: "2026-11-30T00:00:00Z", every: "1m; DROP DATABASE x") { value } }
            """, new { d = device }, fx.ClientAs("user", alice));
        Assert.Equal("validation-failed", badEvery.ErrorCode());
    }

    [Fact]
    public async Task Latest_readings_take_the_newest_time_per_sensor_whatever_the_write_order_in_one_InfluxQL_query()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var devices = new List<Guid>();
        for (var d = 0; d < 4; d++) devices.Add(await NewDeviceAsync(alice));
        // Newest first, then older points: "latest" is by time, not by arrival.
        foreach (var (device, n) in devices.Select((d, n) => (d, n)))
        {
            await fx.InfluxWriteAsync(Line(device, "temperature", Start.AddMinutes(10), 30 + n) + "\n" + Line(device, "humidity", Start.AddMinutes(3), 60 + n));
            await fx.InfluxWriteAsync(Line(device, "temperature", Start.AddMinutes(1), 10 + n) + "\n" + Line(device, "humidity", Start.AddMinutes(2), 50 + n));
        }
        const string q = """
            query($ids: [uuid!]!, $from: timestamptz!) {
              devices(where: {id: {_in: $ids}}, order_by: {id: asc}) {
                id
                latest_readings { sensor time value }
                readings(sensor: "temperature", from: $from, limit: 1, order: desc) { time value }
              }
            }
            """;
        var before = await QueryRequestsAsync();
        var r = await fx.GraphQLAsync(q, new { ids = devices, from = Start.ToString("O") }, fx.ClientAs("user", alice));
        var after = await QueryRequestsAsync();
        var rows = r.Data()["devices"]!.AsArray();
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            var n = devices.IndexOf(Guid.Parse((string)row!["id"]!));
            var latest = row["latest_readings"]!.AsArray();
            Assert.Equal(["humidity", "temperature"], latest.Select(l => (string)l!["sensor"]!));
            Assert.Equal(60 + n, (double)latest[0]!["value"]!);
            Assert.Equal(30 + n, (double)latest[1]!["value"]!);
            Assert.Equal(Start.AddMinutes(10).ToString("yyyy-MM-ddTHH:mm:ssZ"), (string?)latest[1]!["time"]);
            Assert.Equal(30 + n, (double)row["readings"]![0]!["value"]!);
            Assert.Single(row["readings"]!.AsArray());
        }
        // Two relationship fields over four devices: two InfluxQL queries (plus the second SHOW STATS itself).
        Assert.Equal(3, after - before);
    }

    [Fact]
    public async Task A_marker_forged_in_a_jsonb_value_gets_no_readings_the_session_may_not_read()
    {
        var (alice, bob, _) = await SensorUsers.LoadAsync(fx);
        var mine = await NewDeviceAsync(alice);
        var theirs = await NewDeviceAsync(bob);
        await fx.InfluxWriteAsync(Line(mine, "temperature", Start, 21) + "\n" + Line(theirs, "temperature", Start, 666));
        // Alice's own profile (jsonb) holds an object shaped like the marker of her query's field, naming Bob's device,
        // and a second one naming no field of the request.
        var forged = $$$"""{"a": {"$sensors": "$.selectionSet.devices.lr", "key": "{{{theirs}}}"}, "b": {"$sensors": "$.no.such.field", "key": "{{{theirs}}}"}}""";
        var before = await fx.ScalarAsync<string>("SELECT profile::text FROM users WHERE id = $1::uuid", alice);
        await fx.ScalarAsync<int>("UPDATE users SET profile = $2::jsonb WHERE id = $1::uuid", alice, forged);
        try
        {
            var r = await fx.GraphQLAsync("""
                query($d: uuid!) { devices(where: {id: {_eq: $d}}) { lr: latest_readings { sensor value } owner { profile } } }
                """, new { d = mine }, fx.ClientAs("user", alice));
            var device = r.Data()["devices"]![0]!;
            Assert.Equal(21, (double)device["lr"]![0]!["value"]!);
            var profile = device["owner"]!["profile"]!;
            Assert.DoesNotContain("666", profile.ToJsonString());
            Assert.Equal("[]", profile["a"]!.ToJsonString());
            Assert.Equal("$.no.such.field", (string?)profile["b"]!["$sensors"]);
        }
        finally { await fx.ScalarAsync<int>("UPDATE users SET profile = $2::jsonb WHERE id = $1::uuid", alice, before); }
    }

    [Fact]
    public async Task A_relationship_that_could_return_too_many_readings_is_refused_before_InfluxDB_is_asked()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var devices = new List<Guid>();
        for (var d = 0; d < 11; d++) devices.Add(await NewDeviceAsync(alice));
        const string q = "query($ids: [uuid!]!, $n: Int) { devices(where: {id: {_in: $ids}}) { readings(limit: $n) { value } } }";
        var before = await QueryRequestsAsync();
        // 11 rows × the default limit of 10,000 is over the 100,000 a field may return.
        var r = await fx.GraphQLAsync(q, new { ids = devices, n = (int?)null }, fx.ClientAs("user", alice));
        Assert.Equal("validation-failed", r.ErrorCode());
        Assert.Contains("at most 100000", (string?)r["errors"]![0]!["message"]);
        Assert.Equal(1, await QueryRequestsAsync() - before);
        var ok = await fx.GraphQLAsync(q, new { ids = devices, n = 100 }, fx.ClientAs("user", alice));
        Assert.Equal(11, ok.Data()["devices"]!.AsArray().Count);
    }

    [Fact]
    public async Task Report_readings_are_the_ones_recorded_with_the_report_of_devices_the_session_reads()
    {
        var (alice, bob, _) = await SensorUsers.LoadAsync(fx);
        var report = await fx.ScalarAsync<Guid>("SELECT id FROM phenom_reports WHERE user_id = $1::uuid ORDER BY id LIMIT 1", alice);
        var phone = await NewDeviceAsync(alice);
        var strangers = await NewDeviceAsync(bob);
        await fx.InfluxWriteAsync(string.Join('\n',
            Line(phone, "barometer", Start, 1013.25, report),
            Line(phone, "barometer", Start.AddSeconds(1), 1013.5, report),
            Line(phone, "barometer", Start.AddSeconds(2), 999, null),
            $"sensor_readings,device_id={phone},sensor=accelerometer,report_id={report} x=1,y=2,z=3 {Ns(Start)}",
            Line(strangers, "barometer", Start, 1, report)));
        var r = await fx.GraphQLAsync("""
            query($id: uuid!) { phenom_reports_by_pk(id: $id) { all: sensor_readings { device_id sensor time value x report_id } baro: sensor_readings(sensor: "barometer") { value } } }
            """, new { id = report }, fx.ClientAs("user", alice));
        var row = r.Data()["phenom_reports_by_pk"]!;
        var all = row["all"]!.AsArray();
        Assert.Equal(3, all.Count);
        Assert.All(all, a => Assert.Equal(phone.ToString(), (string?)a!["device_id"]));
        Assert.All(all, a => Assert.Equal(report.ToString(), (string?)a!["report_id"]));
        Assert.Equal([1013.25, 1013.5], row["baro"]!.AsArray().Select(b => (double)b!["value"]!));
    }

    [Fact]
    public async Task Sensor_names_with_quotes_and_backslashes_are_matched_literally_never_as_InfluxQL()
    {
        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var device = await NewDeviceAsync(alice);
        const string odd = "it's \"hot\" ' OR ''='";
        // Line protocol escapes spaces and equals signs in tag values with a backslash; quotes stand as they are.
        var tag = odd.Replace(" ", "\\ ").Replace("=", "\\=");
        await fx.InfluxWriteAsync($"sensor_readings,device_id={device},sensor={tag} value=7 {Ns(Start)}\n" + Line(device, "plain", Start, 8));
        var r = await fx.GraphQLAsync("query($d: uuid!, $s: String!) { sensor_readings(device_id: $d, sensor: $s, from: \"2026-01-01T00:00:00Z\") { sensor value } }",
            new { d = device, s = odd }, fx.ClientAs("user", alice));
        var rows = r.Data()["sensor_readings"]!.AsArray();
        Assert.Equal(odd, (string?)Assert.Single(rows)!["sensor"]);
        Assert.Equal(7, (double)rows[0]!["value"]!);
        var none = await fx.GraphQLAsync("query($d: uuid!) { sensor_readings(device_id: $d, sensor: \"x' OR sensor = 'plain\", from: \"2026-01-01T00:00:00Z\") { value } }",
            new { d = device }, fx.ClientAs("user", alice));
        Assert.Empty(none.Data()["sensor_readings"]!.AsArray());
        // A backslash cannot be stored as written in line protocol, so no name has one: refused, not escaped into InfluxQL.
        var slash = await fx.GraphQLAsync("query($d: uuid!) { sensor_readings(device_id: $d, sensor: \"x\\\\' OR true\", from: \"2026-01-01T00:00:00Z\") { value } }",
            new { d = device }, fx.ClientAs("user", alice));
        Assert.Equal("data-exception", slash.ErrorCode());
    }

    // InfluxDB's own count of /query requests, read live with SHOW STATS (each SHOW STATS is one request too).
    private async Task<long> QueryRequestsAsync()
    {
        var body = await fx.InfluxQueryAsync("SHOW STATS FOR 'httpd'");
        var series = body["results"]![0]!["series"]![0]!;
        var columns = series["columns"]!.AsArray().Select(c => (string)c!).ToList();
        return (long)series["values"]![0]![columns.IndexOf("queryReq")]!;
    }
}
