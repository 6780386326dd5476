using Peregrine.Graph.Sensors;
using Peregrine.Graph.Sensors.Influx;
using Peregrine.Graph.Sensors.Ingest;

namespace Peregrine.Graph.Tests.Sensors.Ingest;

/// <summary>
/// What devices may post, parsed without a server: every accepted shape becomes the reading it says (checked field by
/// field), and every refused one names its first bad line with a reason. The encoder's own lines parse back to the
/// same readings, so the two agree on escaping.
/// </summary>
public sealed class LineProtocolParserTests
{
    private static readonly Guid Device = Guid.Parse("0f9b2c1e-8a51-4c47-9a0e-7e4b8b9b1d11");
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static List<SensorReading> Parse(string text, string? precision = null) =>
        LineProtocolParser.Parse(text, Device, LineProtocolParser.PrecisionMultiplier(precision)!.Value, Now);

    private static string Refused(string text, string? precision = null) =>
        Assert.Throws<SensorInputException>(() => Parse(text, precision)).Message;

    [Fact]
    public void Accepted_lines_become_the_readings_they_say()
    {
        var report = Guid.NewGuid();
        var readings = Parse(
            "# a comment, then a blank line\r\n" +
            "\n" +
            "sensor_readings,sensor=temperature value=21.5 1764928800123456789\r\n" +
            $"sensor_readings,device_id={Device},sensor=accel,report_id={report} x=-0.5,y=1e-3,z=9.81 1764928800000000000\n" +
            "  sensor_readings,sensor=room\\ 1\\,north\\=x value=7i\n" +
            "sensor_readings,sensor=p value=-1.5E+3 1764928800");
        Assert.Equal(4, readings.Count);
        Assert.All(readings, r => Assert.Equal(Device, r.DeviceId));

        Assert.Equal(new SensorReading(Device, "temperature", DateTimeOffset.FromUnixTimeSeconds(1764928800).AddTicks(1234567), 21.5, null, null, null, null), readings[0]);
        Assert.Equal(new SensorReading(Device, "accel", DateTimeOffset.FromUnixTimeSeconds(1764928800), null, -0.5, 0.001, 9.81, report), readings[1]);
        // No timestamp: the server's time, as InfluxDB does; an integer field becomes a float.
        Assert.Equal(new SensorReading(Device, "room 1,north=x", Now, 7, null, null, null, null), readings[2]);
        // Nanoseconds by default: 1764928800 ns is early 1970.
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(17649288), readings[3].Time);
        Assert.Equal(-1500, readings[3].Value);
    }

    [Theory]
    [InlineData("s", 1_000_000_000L)]
    [InlineData("ms", 1_000_000L)]
    [InlineData("us", 1_000L)]
    [InlineData("ns", 1L)]
    public void Precision_scales_timestamps_as_influxdb_does(string precision, long nsPerUnit)
    {
        var reading = Parse("sensor_readings,sensor=t value=1 1764928800", precision).Single();
        Assert.Equal(1764928800L * nsPerUnit / 100, (reading.Time - DateTimeOffset.UnixEpoch).Ticks);
        Assert.Null(LineProtocolParser.PrecisionMultiplier("h"));
    }

    [Theory]
    [InlineData("weather,sensor=t value=1", "measurement must be sensor_readings")]
    [InlineData("sensor_readings value=1", "missing the sensor tag")]
    [InlineData("sensor_readings,sensor=t,room=a value=1", "unknown tag room")]
    [InlineData("sensor_readings,sensor=t,device_id=6a1f0e0c-1111-4a4a-9b9b-000000000001 value=1", "is not the device this request writes for")]
    [InlineData("sensor_readings,sensor=t,device_id=nope value=1", "is not the device this request writes for")]
    [InlineData("sensor_readings,sensor=t,report_id=12 value=1", "report_id must be a uuid")]
    [InlineData("sensor_readings,sensor=t temp=1", "unknown field temp")]
    [InlineData("sensor_readings,sensor=t value=\"hot\"", "string field values are not accepted")]
    [InlineData("sensor_readings,sensor=t value=true", "field value is not a finite number")]
    [InlineData("sensor_readings,sensor=t value=NaN", "field value is not a finite number")]
    [InlineData("sensor_readings,sensor=t value=1e999", "field value is not a finite number")]
    [InlineData("sensor_readings,sensor=t value=1,value=2", "field value appears twice")]
    [InlineData("sensor_readings,sensor=t value=1,x=1,y=2,z=3,w=4", "too many fields")]
    [InlineData("sensor_readings,sensor=t x=1,y=2", "needs value, or all of x, y and z")]
    [InlineData("sensor_readings,sensor=t value=1,x=1", "either value or x, y and z")]
    [InlineData("sensor_readings,sensor=t value=1 yesterday", "timestamp must be an integer")]
    [InlineData("sensor_readings,sensor=t value=1 1 2", "unexpected text after the timestamp")]
    [InlineData("sensor_readings,sensor=t value=1 9223372036854775807", "outside InfluxDB's range")]
    [InlineData("sensor_readings,sensor=a\\b value=1", "backslash")]
    [InlineData("sensor_readings,sensor=t", "missing fields")]
    [InlineData("sensor_readings,sensor= value=1", "a tag must be key=value")]
    public void The_first_bad_line_is_named_with_its_reason(string bad, string reason)
    {
        var message = Refused("sensor_readings,sensor=ok value=1\n\nsensor_readings,sensor=ok value=2\n" + bad + "\nnot even close");
        Assert.StartsWith("line 4: ", message);
        Assert.Contains(reason, message);
    }

    [Fact]
    public void Bounds_hold_for_long_lines_and_big_timestamps()
    {
        Assert.StartsWith("line 2: longer than", Refused("sensor_readings,sensor=t value=1\nsensor_readings,sensor=" + new string('a', 70_000) + " value=1"));
        Assert.Contains("longer than 256", Refused("sensor_readings,sensor=" + new string('a', 300) + " value=1"));
        Assert.Contains("out of range", Refused("sensor_readings,sensor=t value=1 9223372036854775", "s"));
    }

    [Fact]
    public void The_encoder_and_the_parser_agree()
    {
        var readings = new[]
        {
            new SensorReading(Device, "t x,y=z \"q\" é", Now.AddTicks(1), 0.1, null, null, null, Guid.NewGuid()),
            new SensorReading(Device, "accel", Now, null, double.Epsilon, -double.MaxValue, 1e21, null),
            new SensorReading(Device, "t", DateTimeOffset.UnixEpoch.AddDays(-1), -0.0, null, null, null, null),
        };
        var text = LineProtocolEncoder.Encode(readings);
        Assert.Equal(3, text.Count(c => c == '\n'));
        Assert.Equal(readings, Parse(text));
        Assert.Throws<ArgumentException>(() => LineProtocolEncoder.Encode([readings[0] with { Sensor = "a\nb" }]));
        Assert.Throws<ArgumentException>(() => LineProtocolEncoder.Encode([readings[0] with { Value = double.NaN }]));
    }

    [Fact]
    public void Json_readings_follow_the_graphql_input_names()
    {
        var json = System.Text.Encoding.UTF8.GetBytes($$"""
            [{"sensor":"temperature","time":"2026-12-05T10:00:01.5Z","value":21.5},
             {"device_id":"{{Device}}","sensor":"accel","x":0,"y":0.5,"z":-9.81,"report_id":null},
             {"sensor":"t","value":3}]
            """);
        var readings = JsonReadingsParser.Parse(json, Device, Now);
        Assert.Equal(new SensorReading(Device, "temperature", Now.AddSeconds(1.5), 21.5, null, null, null, null), readings[0]);
        Assert.Equal(new SensorReading(Device, "accel", Now, null, 0, 0.5, -9.81, null), readings[1]);
        Assert.Equal(Now, readings[2].Time);

        string Bad(string body) => Assert.Throws<SensorInputException>(() => JsonReadingsParser.Parse(System.Text.Encoding.UTF8.GetBytes(body), Device, Now)).Message;
        Assert.Equal("readings[1]: unknown key temp; the keys are device_id, sensor, time, value, x, y, z and report_id", Bad("""[{"sensor":"a","value":1},{"sensor":"a","temp":1}]"""));
        Assert.StartsWith("readings[0]: device_id is not the device", Bad("""[{"sensor":"a","value":1,"device_id":"6a1f0e0c-1111-4a4a-9b9b-000000000001"}]"""));
        Assert.StartsWith("readings[2]: value must be a finite number", Bad("""[{"sensor":"a","value":1},{"sensor":"a","value":1},{"sensor":"a","value":"1"}]"""));
        Assert.StartsWith("readings[0]: missing sensor", Bad("""[{"value":1}]"""));
        Assert.StartsWith("readings[0]: time must be", Bad("""[{"sensor":"a","value":1,"time":"soon"}]"""));
        Assert.StartsWith("readings[0]: a reading needs value", Bad("""[{"sensor":"a"}]"""));
        Assert.Equal("the body must be a JSON array of readings", Bad("""{"sensor":"a","value":1}"""));
        Assert.StartsWith("the body is not valid JSON", Bad("""[{"sensor":"a","value":1}"""));
        Assert.StartsWith("the body is not valid JSON", Bad(new string('[', 100) + new string(']', 100)));
    }
}
