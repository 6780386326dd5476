namespace Peregrine.Domain.Model.Sensors;

/// <summary>
/// One firing of a rule on one device: opened when the condition has held for the rule's duration,
/// resolved when it clears. At most one open event per rule and device (a unique partial index), so
/// every server instance agrees on it.
/// </summary>
public sealed class AlarmEvent
{
    public Guid Id { get; set; }
    public Guid RuleId { get; set; }
    public Guid DeviceId { get; set; }
    public string Sensor { get; set; } = "";
    public double? Value { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public Guid? AcknowledgedBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }

    public AlarmRule? Rule { get; set; }
    public Device? Device { get; set; }
}
