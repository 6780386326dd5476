using Peregrine.Domain.Events;
using Peregrine.Graph.Sensors;
using Peregrine.Graph.Sensors.Live;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>
/// The sensor batch messages on the change bus: small enough to stay off the large-object heap, recognisable from
/// their first bytes (so an instance without sensor subscribers drops them unparsed), and whole when parsed.
/// </summary>
public sealed class SensorLiveMessageTests
{
    private sealed class Receiver(bool idle) : IChangeReceiver
    {
        public readonly List<ChangeEvent> Events = [];
        public int Dropped;
        public void OnChanges(IReadOnlyList<ChangeEvent> events) => Events.AddRange(events);
        public void OnResync() { }
        public bool Ignores(string message)
        {
            var ignored = idle && message.StartsWith(SensorLiveHub.MessagePrefix, StringComparison.Ordinal);
            if (ignored) Dropped++;
            return ignored;
        }
    }

    private static List<SensorReading> Batch(Guid device, int n) =>
        Enumerable.Range(0, n).Select(i => new SensorReading(device, i % 2 == 0 ? "temperature" : "accel",
            new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i), i % 2 == 0 ? 20.5 + i : null,
            i % 2 == 0 ? null : 0.1, i % 2 == 0 ? null : -0.2, i % 2 == 0 ? null : 9.81, null)).ToList();

    // A subscriber to the device on "another instance" of an in-process bus: the publisher then has someone to publish for.
    private static async Task<SensorLiveInterest> ListenedAsync(Guid device)
    {
        var interest = new SensorLiveInterest(null, "test:", Microsoft.Extensions.Logging.Abstractions.NullLogger<SensorLiveInterest>.Instance);
        await interest.AddAsync(device, default);
        return interest;
    }

    [Fact]
    public async Task Nothing_is_built_or_published_for_a_device_nobody_listens_to()
    {
        var messages = new List<string>();
        var listened = Guid.NewGuid();
        var batch = Batch(Guid.NewGuid(), 10).Concat(Batch(listened, 10)).ToList();
        await new SensorLivePublisher(new CapturingBus(messages), await ListenedAsync(listened)).OnBatchAcceptedAsync(batch, default);
        Assert.Contains(listened.ToString(), Assert.Single(messages));
    }

    [Fact]
    public async Task A_batch_becomes_small_messages_that_start_with_the_prefix_and_parse_whole()
    {
        var device = Guid.NewGuid();
        var bus = new InProcessChangeBus();
        var receiver = new Receiver(idle: false);
        bus.Subscribe(receiver);
        await new SensorLivePublisher(bus, await ListenedAsync(device)).OnBatchAcceptedAsync(Batch(device, 1000), default);

        Assert.Equal(1000 / SensorLivePublisher.ReadingsPerMessage, receiver.Events.Count);
        Assert.All(receiver.Events, e => Assert.Equal(SensorLiveHub.EventTable, e.Table));
        Assert.All(receiver.Events, e => Assert.Equal(device.ToString(), (string?)e.PrimaryKey!["device_id"]));
        var readings = receiver.Events.SelectMany(e => e.Row!["readings"]!.AsArray()).ToList();
        Assert.Equal(1000, readings.Count);
        Assert.Equal(["2026-12-01T00:00:00Z", "temperature", "20.5", null, null, null, null],
            readings[0]!.AsArray().Select(v => v?.ToString()));
        Assert.Equal("9.81", readings[999]![5]!.ToString());
        Assert.Equal(0, receiver.Dropped);
    }

    [Fact]
    public async Task A_message_of_a_full_slice_stays_off_the_large_object_heap()
    {
        // 85,000 bytes is .NET's large-object threshold; a string of n chars takes 2n bytes.
        var messages = new List<string>();
        var bus = new CapturingBus(messages);
        var device = Guid.NewGuid();
        await new SensorLivePublisher(bus, await ListenedAsync(device)).OnBatchAcceptedAsync(Batch(device, SensorLivePublisher.ReadingsPerMessage), default);
        Assert.True(2 * Assert.Single(messages).Length < 85_000);
    }

    private sealed class CapturingBus(List<string> sink) : IChangeBus
    {
        public bool IsShared => false;
        public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
        public Task PublishAsync(IReadOnlyList<string> messages, CancellationToken ct) { sink.AddRange(messages); return Task.CompletedTask; }
        public void Subscribe(IChangeReceiver receiver) { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task An_instance_without_sensor_subscribers_drops_them_unparsed()
    {
        var bus = new InProcessChangeBus();
        var receiver = new Receiver(idle: true);
        bus.Subscribe(receiver);
        var device = Guid.NewGuid();
        await new SensorLivePublisher(bus, await ListenedAsync(device)).OnBatchAcceptedAsync(Batch(device, 1000), default);
        Assert.Empty(receiver.Events);
        Assert.Equal(1000 / SensorLivePublisher.ReadingsPerMessage, receiver.Dropped);
    }
}
