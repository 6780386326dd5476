using Peregrine.Graph.Sensors;
using Peregrine.Graph.Sensors.Alarms;

namespace Peregrine.Graph.Tests.Sensors;

/// <summary>The rule walk itself, reading by reading: when each condition opens and resolves an alarm.</summary>
public sealed class AlarmConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Device = Guid.NewGuid();
    private static readonly AlarmMemory Fresh = new(null, null, null, false);

    private static AlarmRuleTarget Rule(string condition, double threshold, double? high = null, int forSeconds = 0, string field = "value") =>
        new(Guid.NewGuid(), Device, "temperature", field, condition, threshold, high, forSeconds);

    private static SensorReading At(int second, double v) => new(Device, "temperature", T0.AddSeconds(second), v, null, null, null, null);

    private static string Walk(AlarmRuleTarget rule, params SensorReading[] readings) =>
        string.Join(" ", AlarmConditions.Evaluate(rule, Fresh, readings).Actions.Select(a => a switch
        {
            OpenAlarm o => $"open@{(o.At - T0).TotalSeconds}={o.Value}",
            ResolveAlarm r => $"resolve@{(r.At - T0).TotalSeconds}",
            _ => "?",
        }));

    [Fact]
    public void Above_fires_once_after_for_seconds_and_resolves_when_it_clears() =>
        Assert.Equal("open@10=33 resolve@13",
            Walk(Rule("above", 30, forSeconds: 10), At(0, 31), At(5, 32), At(10, 33), At(11, 34), At(12, 35), At(13, 20)));

    [Fact]
    public void A_reading_below_the_threshold_restarts_the_duration() =>
        Assert.Equal("open@19=31",
            Walk(Rule("above", 30, forSeconds: 10), At(0, 31), At(8, 29), At(9, 31), At(15, 31), At(18, 31), At(19, 31)));

    [Fact]
    public void Readings_are_taken_in_time_order_whatever_order_they_came_in() =>
        Assert.Equal("open@10=33 resolve@13",
            Walk(Rule("above", 30, forSeconds: 10), At(13, 20), At(5, 32), At(0, 31), At(10, 33)));

    [Fact]
    public void Below_outside_and_rate_above()
    {
        Assert.Equal("open@1=4 resolve@2", Walk(Rule("below", 5), At(0, 6), At(1, 4), At(2, 5)));
        Assert.Equal("open@1=96 resolve@2 open@3=10", Walk(Rule("outside", 15, 95), At(0, 50), At(1, 96), At(2, 60), At(3, 10)));
        // 0.5 units per second allowed: +2 in 2 s is 1/s (fires), then +0.2 in 1 s resolves.
        Assert.Equal("open@2=12 resolve@3", Walk(Rule("rate_above", 0.5), At(0, 10), At(2, 12), At(3, 12.2)));
        // A vector sensor's rule watches one axis.
        Assert.Equal("open@1=2", Walk(Rule("above", 1, field: "x"),
            new SensorReading(Device, "temperature", T0, null, 0, 5, 5, null),
            new SensorReading(Device, "temperature", T0.AddSeconds(1), null, 2, 0, 0, null)));
    }

    [Fact]
    public void Readings_not_newer_than_the_last_seen_are_ignored()
    {
        var rule = Rule("above", 30);
        var (memory, actions) = AlarmConditions.Evaluate(rule, Fresh, [At(10, 20)]);
        Assert.Empty(actions);
        (_, actions) = AlarmConditions.Evaluate(rule, memory, [At(5, 40), At(10, 40)]);
        Assert.Empty(actions);
        (_, actions) = AlarmConditions.Evaluate(rule, memory, [At(11, 40)]);
        Assert.Single(actions);
    }

    [Fact]
    public void A_reading_resolves_an_open_stale_alarm()
    {
        var (_, actions) = AlarmConditions.Evaluate(Rule("stale", 0, forSeconds: 60), Fresh with { Open = true }, [At(0, 1), At(1, 1)]);
        Assert.Equal([new ResolveAlarm(T0)], actions);
    }
}
