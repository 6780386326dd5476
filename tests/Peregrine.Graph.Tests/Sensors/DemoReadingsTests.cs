using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Peregrine.Domain.Seeding;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Sensors;
using Peregrine.Graph.Sensors.Seeding;
using Peregrine.Graph.Tests.Infrastructure;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>
/// The seed's day of readings (what <c>./peregrine seed</c> writes after the relational demo data), read back from
/// InfluxDB itself and through GraphQL as the seeded owner would in GraphiQL.
/// </summary>
[Collection(SensorCollection.Name)]
public sealed class DemoReadingsTests(SensorFixture fx)
{
    [Fact]
    public async Task The_seed_writes_a_day_a_minute_apart_for_every_seeded_sensor_and_GraphQL_shows_it()
    {
        var services = fx.Factory.Services;
        var points = await DemoReadings.WriteAsync(services.GetRequiredService<PeregrineOptions>(), services.GetRequiredService<SensorOptions>(), fx.DataSource, default);
        var sensors = DemoSensors.DeviceSensors.Sum(d => d.Sensors.Length);
        Assert.Equal(sensors * 1440, points);

        foreach (var (device, names) in DemoSensors.DeviceSensors)
            foreach (var sensor in names)
            {
                var rows = await fx.InfluxRowsAsync(
                    $"SELECT count(value) AS v, count(x) AS x, count(z) AS z FROM sensor_readings WHERE device_id = '{device}' AND sensor = '{sensor}' AND time > now() - 25h");
                var row = Assert.Single(rows);
                var vector = sensor is "accelerometer" or "gyroscope";
                Assert.Equal(1440, (int)row[vector ? "x" : "v"]!);
                if (vector) Assert.Equal(1440, (int)row["z"]!);
            }

        var (alice, _, _) = await SensorUsers.LoadAsync(fx);
        var from = DateTimeOffset.UtcNow.AddHours(-25).ToString("O");
        var r = await fx.GraphQLAsync("""
            query($d: uuid!, $from: timestamptz!) {
              devices(where: {enclosure_id: {_is_null: false}}, order_by: {name: asc}) { id last_seen_at latest_readings { sensor time value x } }
              sensor_series(device_id: $d, sensor: "temperature", from: $from, every: "1h", fn: count) { value }
            }
            """, new { d = DemoSensors.TerrariumClimateId, from }, fx.ClientAs("user", alice));
        var data = r.Data();
        var mine = data["devices"]!.AsArray().Where(d => DemoSensors.DeviceIds.Contains(Guid.Parse((string)d!["id"]!))).ToList();
        // Alice owns the terrarium's two devices and the phone; the station is Bob's.
        Assert.Equal(3, mine.Count);
        foreach (var device in mine)
        {
            var expected = DemoSensors.DeviceSensors.Single(d => d.DeviceId == Guid.Parse((string)device!["id"]!)).Sensors.Order();
            var latest = device!["latest_readings"]!.AsArray();
            Assert.Equal(expected, latest.Select(l => (string)l!["sensor"]!));
            foreach (var reading in latest)
                Assert.InRange(DateTimeOffset.Parse((string)reading!["time"]!), DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow);
            Assert.InRange(DateTimeOffset.Parse((string)device["last_seen_at"]!), DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow);
        }
        Assert.Equal(1440, data["sensor_series"]!.AsArray().Sum(p => (double?)p!["value"] ?? 0));
    }
}
