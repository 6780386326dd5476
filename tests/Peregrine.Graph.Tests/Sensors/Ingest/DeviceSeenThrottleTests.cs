using Peregrine.Graph.Sensors.Ingest;

namespace Peregrine.Graph.Tests.Sensors.Ingest;

public sealed class DeviceSeenThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_update_per_device_per_interval_and_a_failed_one_is_retried()
    {
        var throttle = new DeviceSeenThrottle();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        Assert.True(throttle.ShouldTouch(a, T0));
        Assert.False(throttle.ShouldTouch(a, T0.AddSeconds(4.9)));
        Assert.True(throttle.ShouldTouch(b, T0.AddSeconds(1)));
        Assert.True(throttle.ShouldTouch(a, T0.AddSeconds(5)));
        Assert.False(throttle.ShouldTouch(a, T0.AddSeconds(6)));
        throttle.Forget(a);
        Assert.True(throttle.ShouldTouch(a, T0.AddSeconds(6)));
    }
}
