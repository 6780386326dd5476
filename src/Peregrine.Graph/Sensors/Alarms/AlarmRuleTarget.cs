namespace Peregrine.Graph.Sensors.Alarms;

/// <summary>One enabled rule applied to one device (an enclosure's rule applies to each of its devices).</summary>
public sealed record AlarmRuleTarget(Guid RuleId, Guid DeviceId, string Sensor, string Field, string Condition,
    double Threshold, double? ThresholdHigh, int ForSeconds);

/// <summary>The evaluator's memory of a rule on a device (the <c>alarm_states</c> row) and whether an alarm is open.</summary>
public sealed record AlarmMemory(DateTimeOffset? PendingSince, DateTimeOffset? LastTime, double? LastValue, bool Open);

/// <summary>What evaluating readings decided, in order: open an alarm, or resolve the open one.</summary>
public abstract record AlarmAction(DateTimeOffset At);
public sealed record OpenAlarm(DateTimeOffset At, double? Value) : AlarmAction(At);
public sealed record ResolveAlarm(DateTimeOffset At) : AlarmAction(At);
