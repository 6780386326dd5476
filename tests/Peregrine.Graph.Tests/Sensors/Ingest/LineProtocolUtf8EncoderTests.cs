using System.Text;
using Peregrine.Graph.Sensors;
using Peregrine.Graph.Sensors.Influx;
using Peregrine.Graph.Sensors.Ingest;

namespace Peregrine.Graph.Tests.Sensors.Ingest;

/// <summary>
/// <see cref="LineProtocolEncoder.EncodeUtf8"/> writes byte for byte what the string encoder's text is in UTF-8 (the
/// form the parser tests and the InfluxDB round trip already check), for random readings with every kind of field,
/// escaped and non-ASCII sensor names and the extreme doubles and times.
/// </summary>
public sealed class LineProtocolUtf8EncoderTests
{
    private static readonly string[] Sensors = ["t", "a b", "a,b=c", "température", "🦎 gecko", "x=", " lead", "k\"q"];
    private static readonly double[] Doubles = [0, -0.0, 1, -1.5, 0.1, 1e20, 1e-300, 5e-324, double.MaxValue, double.MinValue, 123456.789, 1.0 / 3];

    [Fact]
    public void Random_batches_encode_to_the_string_encoders_bytes()
    {
        var random = new Random(15);
        double D() => random.Next(3) == 0 ? Doubles[random.Next(Doubles.Length)] : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-10, 10));
        var batch = new List<SensorReading>();
        for (var i = 0; i < 5_000; i++)
        {
            var time = i switch
            {
                0 => LineProtocolEncoder.MinTime,
                1 => LineProtocolEncoder.MaxTime,
                _ => DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(-10_000_000_000_000_000, 90_000_000_000_000_000)),
            };
            var vector = random.Next(2) == 0;
            batch.Add(new SensorReading(Guid.NewGuid(), Sensors[random.Next(Sensors.Length)], time, vector ? null : D(),
                vector ? D() : null, vector ? D() : null, vector ? D() : null, random.Next(3) == 0 ? Guid.NewGuid() : null));
        }
        using var output = new PooledBytes(16);
        LineProtocolEncoder.EncodeUtf8(batch, output);
        Assert.Equal(Encoding.UTF8.GetBytes(LineProtocolEncoder.Encode(batch)), output.Memory.ToArray());
    }

    [Fact]
    public void An_invalid_reading_is_refused_as_by_the_string_encoder()
    {
        using var output = new PooledBytes(16);
        var bad = new SensorReading(Guid.NewGuid(), "t", DateTimeOffset.UtcNow, null, 1, null, null, null);
        Assert.Throws<ArgumentException>(() => LineProtocolEncoder.EncodeUtf8([bad], output));
    }
}
