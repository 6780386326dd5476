using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Peregrine.Domain.Seeding;
using Peregrine.Graph.Configuration;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Sensors.Seeding;

/// <summary>
/// The demo seed's InfluxDB half: the last 24 hours, one reading a minute, for every sensor of the seeded devices
/// (<see cref="DemoSensors.DeviceSensors"/>), so GraphiQL's <c>sensor_readings</c>, <c>sensor_series</c> and
/// <c>devices { latest_readings }</c> show something on a fresh database. The day ends at the time of seeding,
/// not at the relational seed's fixed date: readings older than the retention policy (30 days by default)
/// would be dropped by InfluxDB at once. Values follow a daily cycle with a little noise from a fixed seed.
/// </summary>
public static class DemoReadings
{
    public static readonly TimeSpan Span = TimeSpan.FromDays(1);
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    /// <summary>The readings for the day ending at <paramref name="end"/> (whole minutes), oldest first.</summary>
    public static List<SensorReading> Generate(DateTimeOffset end)
    {
        end = new DateTimeOffset(end.UtcTicks - end.UtcTicks % Step.Ticks, TimeSpan.Zero);
        var random = new Random(20261201);
        var readings = new List<SensorReading>();
        foreach (var (device, sensors) in DemoSensors.DeviceSensors)
            foreach (var sensor in sensors)
                for (var t = end - Span + Step; t <= end; t += Step)
                    readings.Add(Reading(device, sensor, t, random));
        return readings;
    }

    private static SensorReading Reading(Guid device, string sensor, DateTimeOffset t, Random random)
    {
        // The hour of the day as an angle: warmest mid-afternoon, most humid before dawn.
        var day = 2 * Math.PI * (t.TimeOfDay.TotalHours - 9) / 24;
        double Noise(double scale) => (random.NextDouble() - 0.5) * scale;
        double Round(double v) => Math.Round(v, 2);
        return sensor switch
        {
            "temperature" => Scalar(Round(device == DemoSensors.BaskingProbeId ? 33 + 3 * Math.Sin(day) + Noise(0.4) : 26 + 4 * Math.Sin(day) + Noise(0.3))),
            "humidity" => Scalar(Round(60 - 15 * Math.Sin(day) + Noise(2))),
            "barometer" => Scalar(Round(1013 + 2.5 * Math.Sin(day / 2) + Noise(0.2))),
            "compass" => Scalar(Round((180 + 40 * Math.Sin(day * 3) + Noise(5) + 360) % 360)),
            "accelerometer" => Vector(Round(Noise(0.3)), Round(Noise(0.3)), Round(9.81 + Noise(0.2))),
            "gyroscope" => Vector(Round(Noise(0.05)), Round(Noise(0.05)), Round(Noise(0.05))),
            _ => Scalar(Round(Noise(1))),
        };
        SensorReading Scalar(double v) => new(device, sensor, t, v, null, null, null, null);
        SensorReading Vector(double x, double y, double z) => new(device, sensor, t, null, x, y, z, null);
    }

    /// <summary>
    /// Writes the day to InfluxDB through the server's own writer (setup included: database, retention, continuous
    /// query) and marks the devices seen at its end. Answers the number of points written.
    /// </summary>
    public static async Task<int> WriteAsync(PeregrineOptions options, SensorOptions sensorOptions, NpgsqlDataSource db, CancellationToken ct)
    {
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var writer = new InfluxWriter(options, sensorOptions, services.GetRequiredService<IHttpClientFactory>(), NullLogger<InfluxWriter>.Instance);
        var end = DateTimeOffset.UtcNow;
        var readings = Generate(end);
        await writer.WriteAsync(Encoding.UTF8.GetBytes(LineProtocolEncoder.Encode(readings)), ct);
        await using var update = db.CreateCommand("UPDATE devices SET last_seen_at = $1 WHERE id = ANY($2)");
        update.Parameters.Add(new NpgsqlParameter { Value = readings[^1].Time.UtcDateTime });
        update.Parameters.Add(new NpgsqlParameter { Value = DemoSensors.DeviceIds.ToArray() });
        await update.ExecuteNonQueryAsync(ct);
        return readings.Count;
    }
}
