using System.Text;
using Peregrine.Graph.Sensors;
using Peregrine.Graph.Sensors.Ingest;

namespace Peregrine.Graph.Tests.Sensors.Ingest;

/// <summary>
/// Readings older than the retention policy are refused when they arrive (InfluxDB would drop them after ingest had
/// answered 204), naming the line or element; INF keeps everything.
/// </summary>
public sealed class RetentionCheckTests
{
    private static readonly Guid Device = Guid.Parse("0f9b2c1e-8a51-4c47-9a0e-7e4b8b9b1d11");
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly SensorOptions ThirtyDays = new() { Retention = "30d" };

    private static long Seconds(DateTimeOffset t) => t.ToUnixTimeSeconds();

    [Fact]
    public void The_oldest_writable_time_follows_the_policy_with_a_minutes_margin()
    {
        Assert.Equal(Now.AddDays(-30).AddMinutes(1), ThirtyDays.OldestWritable(Now));
        Assert.Equal(Now.AddHours(-12).AddMinutes(1), new SensorOptions { Retention = "12h" }.OldestWritable(Now));
        Assert.Equal(Now.AddDays(-14).AddMinutes(1), new SensorOptions { Retention = "2w" }.OldestWritable(Now));
        Assert.Null(new SensorOptions { Retention = "INF" }.RetentionSpan);
        Assert.Null(new SensorOptions { Retention = "INF" }.TooOld(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), new SensorOptions { Retention = "INF" }.OldestWritable(Now)));
    }

    [Fact]
    public void Line_protocol_names_the_first_line_too_old_to_keep()
    {
        var text = $"sensor_readings,sensor=t value=1 {Seconds(Now.AddDays(-29))}\n" +
                   $"sensor_readings,sensor=t value=2 {Seconds(Now.AddDays(-31))}\n";
        var e = Assert.Throws<SensorInputException>(() => LineProtocolParser.Parse(text, Device, 1_000_000_000, Now, ThirtyDays));
        Assert.StartsWith("line 2: time 2026-11-04T10:00:00Z is older than the retention policy keeps (30d)", e.Message);
        // Without the policy (and with INF) the same lines parse.
        Assert.Equal(2, LineProtocolParser.Parse(text, Device, 1_000_000_000, Now).Count);
        Assert.Equal(2, LineProtocolParser.Parse(text, Device, 1_000_000_000, Now, new SensorOptions { Retention = "INF" }).Count);
    }

    [Fact]
    public void Json_names_the_element_too_old_to_keep()
    {
        var json = Encoding.UTF8.GetBytes("""[{"sensor":"t","value":1},{"sensor":"t","time":"2026-10-01T00:00:00Z","value":2}]""");
        var e = Assert.Throws<SensorInputException>(() => JsonReadingsParser.Parse(json, Device, Now, ThirtyDays));
        Assert.StartsWith("readings[1]: time 2026-10-01T00:00:00Z is older than the retention policy keeps (30d)", e.Message);
    }
}
