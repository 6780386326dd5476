using System.Buffers;
using System.Text.Json;
using Peregrine.Domain.Events;
using Peregrine.Graph.Sensors.Influx;

namespace Peregrine.Graph.Sensors.Live;

/// <summary>
/// Puts every accepted batch on the change bus (Redis when configured), so <c>sensor_readings_live</c> subscribers
/// on every instance get it: one message per device and up to <see cref="ReadingsPerMessage"/> readings, in the
/// change-event format with table <see cref="SensorLiveHub.EventTable"/> and the readings as its row. A device nobody
/// listens to on any instance (<see cref="SensorLiveInterest"/>, asked once per device of the batch, after the batch
/// is stored) gets no message at all.
/// </summary>
public sealed class SensorLivePublisher(IChangeBus bus, SensorLiveInterest interest) : ISensorBatchObserver
{
    /// <summary>
    /// Keeps each bus message around 16 KB: its bytes, its string and the receivers' copies stay below the
    /// large-object heap (85 KB), whose gen-2 collections were most of the ingest path's cost at 500 per message.
    /// </summary>
    public const int ReadingsPerMessage = 200;

    public ValueTask<bool> WantsAsync(Guid device, CancellationToken cancellationToken) => interest.AnyoneListensAsync(device);

    public async Task OnBatchAcceptedAsync(IReadOnlyList<SensorReading> batch, CancellationToken cancellationToken)
    {
        var messages = new List<string>();
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        foreach (var device in batch.GroupBy(r => r.DeviceId))
        {
            if (!await interest.AnyoneListensAsync(device.Key)) continue;
            foreach (var chunk in device.Chunk(ReadingsPerMessage))
                messages.Add(Message(device.Key, chunk, at));
        }
        if (messages.Count > 0) await bus.PublishAsync(messages, cancellationToken);
    }

    // {"t":"sensor_readings","op":"i","pk":{"device_id":…},"cols":[],"row":{"readings":[[time,sensor,value,x,y,z,report_id],…]},"at":…}
    private static string Message(Guid device, SensorReading[] readings, double at)
    {
        // Sized for the whole message up front (~100 bytes a reading): growing the writer's buffer step by step
        // copied it over and over, a twentieth of the ingest path's CPU.
        var buffer = new ArrayBufferWriter<byte>(256 + 128 * readings.Length);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("t", SensorLiveHub.EventTable);
            w.WriteString("op", "i");
            w.WriteStartObject("pk");
            w.WriteString("device_id", device.ToString("D"));
            w.WriteEndObject();
            w.WriteStartArray("cols");
            w.WriteEndArray();
            w.WriteStartObject("row");
            w.WriteStartArray("readings");
            foreach (var r in readings)
            {
                w.WriteStartArray();
                w.WriteStringValue(InfluxQl.Rfc3339(r.Time));
                w.WriteStringValue(r.Sensor);
                Number(w, r.Value);
                Number(w, r.X);
                Number(w, r.Y);
                Number(w, r.Z);
                if (r.ReportId is { } report) w.WriteStringValue(report.ToString("D")); else w.WriteNullValue();
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNumber("at", at);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Number(Utf8JsonWriter w, double? v)
    {
        if (v is { } d) w.WriteNumberValue(d); else w.WriteNullValue();
    }
}
