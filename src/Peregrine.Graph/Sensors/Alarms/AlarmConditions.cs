using Peregrine.Domain.Model.Sensors;

namespace Peregrine.Graph.Sensors.Alarms;

/// <summary>
/// Walks one rule's readings of one device in time order from what it remembered, deciding when alarms open and
/// resolve. Pure: the evaluator loads the memory and stores the result. A condition must hold on every reading for
/// <c>for_seconds</c> (from the first reading that met it) before the alarm opens; one reading that does not meet
/// it resets that and resolves an open alarm. <c>rate_above</c> compares the absolute change per second between
/// consecutive readings with the threshold. Readings not newer than the last one seen are ignored (a retried or
/// late batch), so the outcome does not depend on how readings were split into batches.
/// </summary>
public static class AlarmConditions
{
    public static (AlarmMemory Memory, List<AlarmAction> Actions) Evaluate(AlarmRuleTarget rule, AlarmMemory memory, IEnumerable<SensorReading> readings)
    {
        var actions = new List<AlarmAction>();
        var (pending, lastTime, lastValue, open) = (memory.PendingSince, memory.LastTime, memory.LastValue, memory.Open);
        foreach (var r in readings.OrderBy(r => r.Time))
        {
            if (lastTime is { } seen && r.Time <= seen) continue;
            if (rule.Condition == AlarmCondition.Stale)
            {
                // Any reading ends silence.
                if (open) { actions.Add(new ResolveAlarm(r.Time)); open = false; }
                lastTime = r.Time;
                continue;
            }
            if (FieldOf(r, rule.Field) is not { } v) continue;
            bool? met = rule.Condition switch
            {
                AlarmCondition.Above => v > rule.Threshold,
                AlarmCondition.Below => v < rule.Threshold,
                AlarmCondition.Outside => v < rule.Threshold || v > (rule.ThresholdHigh ?? double.PositiveInfinity),
                AlarmCondition.RateAbove => lastTime is { } t0 && lastValue is { } v0 && r.Time > t0
                    ? Math.Abs(v - v0) / (r.Time - t0).TotalSeconds > rule.Threshold
                    : null, // no previous reading: no rate yet, nothing changes
                _ => null,
            };
            if (met == true)
            {
                pending ??= r.Time;
                if (!open && (r.Time - pending.Value).TotalSeconds >= rule.ForSeconds)
                {
                    actions.Add(new OpenAlarm(r.Time, v));
                    open = true;
                }
            }
            else if (met == false)
            {
                pending = null;
                if (open) { actions.Add(new ResolveAlarm(r.Time)); open = false; }
            }
            lastTime = r.Time;
            lastValue = v;
        }
        return (new AlarmMemory(pending, lastTime, lastValue, open), actions);
    }

    public static double? FieldOf(SensorReading r, string field) => field switch
    {
        "x" => r.X,
        "y" => r.Y,
        "z" => r.Z,
        _ => r.Value,
    };
}
