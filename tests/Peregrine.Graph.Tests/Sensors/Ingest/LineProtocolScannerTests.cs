using System.Text;
using Peregrine.Graph.Sensors;
using Peregrine.Graph.Sensors.Influx;
using Peregrine.Graph.Sensors.Ingest;

namespace Peregrine.Graph.Tests.Sensors.Ingest;

/// <summary>
/// The byte-level scanner against its oracle, the parser plus the encoder (what the endpoint did before): for regular
/// and irregular lines alike, the scanner's output reads back to the very readings the parser makes, and a refused
/// body is refused with the parser's message, naming the same line. The regular shape really takes the fast path:
/// its output is the input with the device tag spliced in, byte for byte.
/// </summary>
public sealed class LineProtocolScannerTests
{
    private static readonly Guid Device = Guid.Parse("0f9b2c1e-8a51-4c47-9a0e-7e4b8b9b1d11");
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly SensorOptions Options = new();

    public static TheoryData<string> Accepted() =>
    [
        "sensor_readings,sensor=temperature value=21.5 1796464000123456789",
        "sensor_readings,sensor=temperature value=21.5 1796464000123456700",
        "sensor_readings,device_id=0f9b2c1e-8a51-4c47-9a0e-7e4b8b9b1d11,sensor=t value=-3",
        "sensor_readings,device_id=0F9B2C1E8A514C479A0E7E4B8B9B1D11,sensor=t value=-3",
        "sensor_readings,sensor=accel,report_id=6a1f0e0c-1111-4a4a-9b9b-000000000001 x=0.1,y=-2,z=9.81 1796464000000000000",
        "sensor_readings,report_id={6a1f0e0c-1111-4a4a-9b9b-000000000001},sensor=accel z=1,x=2,y=3",
        "  \tsensor_readings,sensor=t   value=1   1796464000000000000  \r\r",
        "sensor_readings,sensor=t value=21i 1796464000000000000",
        "sensor_readings,sensor=t value=1e3",
        "sensor_readings,sensor=t value=+1.5",
        "sensor_readings,sensor=t value=007.50",
        "sensor_readings,sensor=t value=.5",
        "sensor_readings,sensor=t value=1 +1796464000000000000",
        "sensor_readings,sensor=a\\ b\\,c value=1",
        "sensor_readings,sensor=a=b value=1",
        "sensor_readings,sensor=température value=1",
        "sensor_readings,sensor=t, value=1",
        "sensor_readings,sensor=t value=123456789012345678901234567890123456789012345678901234567890",
        "# a comment\n\nsensor_readings,sensor=t value=2\n",
        "sensor_readings,sensor=t value=1 1796464000000000000\nsensor_readings,sensor=u value=2 1796464001000000000",
    ];

    public static TheoryData<string> Refused() =>
    [
        "weather,sensor=t value=1",
        "sensor_readings value=1",
        "sensor_readings,sensor=t,room=a value=1",
        "sensor_readings,sensor=t,device_id=6a1f0e0c-1111-4a4a-9b9b-000000000001 value=1",
        "sensor_readings,sensor=t,report_id=12 value=1",
        "sensor_readings,sensor=t,sensor=u value=1",
        "sensor_readings,sensor=t temp=1",
        "sensor_readings,sensor=t value=\"hot\"",
        "sensor_readings,sensor=t value=1e999",
        "sensor_readings,sensor=t value=1,value=2",
        "sensor_readings,sensor=t value=1,x=1,y=2,z=3,w=4",
        "sensor_readings,sensor=t x=1,y=2",
        "sensor_readings,sensor=t value=1,x=1",
        "sensor_readings,sensor=t value=1 yesterday",
        "sensor_readings,sensor=t value=1 1 2",
        "sensor_readings,sensor=t value=1 9223372036854775807",
        "sensor_readings,sensor=t value=1 1000000000000",
        "sensor_readings,sensor=a\\b value=1",
        "sensor_readings,sensor=t",
        "sensor_readings,sensor= value=1",
        "sensor_readings,sensor=t value=",
        "sensor_readings,sensor=t value=1\nsensor_readings,sensor=t value=oops\nweather value=1",
        "sensor_readings,sensor=t value=1 -9223372036854775808",
        "sensor_readings,sensor=t value=1 -1",
    ];

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Accepted_lines_store_what_the_parser_reads(string body)
    {
        var expected = LineProtocolParser.Parse(body, Device, 1, Now, Options);
        using var scanned = LineProtocolScanner.Scan(Encoding.UTF8.GetBytes(body), Device, 1, Now, Options);
        Assert.Equal(expected.Count, scanned.Count);
        Assert.Equal(expected, scanned.Readings());
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    [MemberData(nameof(Refused))]
    public void Every_precision_has_the_parsers_outcome(string body)
    {
        foreach (var precision in new[] { 1L, 1_000L, 1_000_000L, 1_000_000_000L })
        {
            List<SensorReading>? expected = null;
            string? refused = null;
            try { expected = LineProtocolParser.Parse(body, Device, precision, Now, Options); }
            catch (SensorInputException e) { refused = e.Message; }
            if (refused is not null)
                Assert.Equal(refused, Assert.Throws<SensorInputException>(() => LineProtocolScanner.Scan(Encoding.UTF8.GetBytes(body), Device, precision, Now, Options)).Message);
            else
            {
                using var scanned = LineProtocolScanner.Scan(Encoding.UTF8.GetBytes(body), Device, precision, Now, Options);
                Assert.Equal(expected, scanned.Readings());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refused_lines_get_the_parsers_message(string body)
    {
        var expected = Assert.Throws<SensorInputException>(() => LineProtocolParser.Parse(body, Device, 1, Now, Options)).Message;
        var actual = Assert.Throws<SensorInputException>(() => LineProtocolScanner.Scan(Encoding.UTF8.GetBytes(body), Device, 1, Now, Options)).Message;
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_regular_shape_is_copied_with_the_device_spliced_in()
    {
        var t = LineProtocolEncoder.UnixNanoseconds(Now.AddMinutes(-5));
        var body = $"sensor_readings,sensor=probe\\ 1 value=1\nsensor_readings,sensor=t value=20.1234 {t}\nsensor_readings,sensor=accel z=3,x=1,y=-2.5 {t}\n";
        using var scanned = LineProtocolScanner.Scan(Encoding.UTF8.GetBytes(body), Device, 1, Now, Options);
        var lines = Encoding.UTF8.GetString(scanned.Lines.Span).Split('\n');
        Assert.Equal($"sensor_readings,device_id={Device},sensor=t value=20.1234 {t}", lines[1]);
        // Fields in the order they came: copied, not encoded again (the encoder writes x, y, z).
        Assert.Equal($"sensor_readings,device_id={Device},sensor=accel z=3,x=1,y=-2.5 {t}", lines[2]);
    }

    [Fact]
    public void A_body_that_is_not_utf8_is_refused_whole()
    {
        var bytes = Encoding.UTF8.GetBytes("sensor_readings,sensor=t value=1\nsensor_readings,sensor=t value=2 x\n").Concat(new byte[] { 0xff }).ToArray();
        Assert.Equal("the body is not UTF-8 text", Assert.Throws<SensorApiError>(() => LineProtocolScanner.Scan(bytes, Device, 1, Now, Options)).Message);
    }
}
