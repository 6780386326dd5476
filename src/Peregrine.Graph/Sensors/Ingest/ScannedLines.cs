using System.Text;

namespace Peregrine.Graph.Sensors.Ingest;

/// <summary>
/// A body's lines as <see cref="LineProtocolScanner"/> left them: ready for InfluxDB (<see cref="Lines"/>, rented,
/// returned on Dispose), and turned into <see cref="SensorReading"/>s only if an observer asks for them.
/// </summary>
public sealed class ScannedLines(PooledBytes lines, int count, Guid device, DateTimeOffset now) : IDisposable
{
    public ReadOnlyMemory<byte> Lines => lines.Memory;

    public int Count => count;

    public Guid Device => device;

    /// <summary>The readings, read back from the stored form (so alarms and live see exactly what InfluxDB got).</summary>
    public List<SensorReading> Readings() =>
        LineProtocolParser.Parse(Encoding.UTF8.GetString(lines.Memory.Span), device, precisionNs: 1, now);

    public void Dispose() => lines.Dispose();
}
