namespace Peregrine.Domain.Model.Sensors;

/// <summary>
/// What the alarm evaluator remembers between batches for one rule on one device, in PostgreSQL so that every
/// server instance (and a restarted one) continues where the last batch left off: since when the condition has
/// held, the last reading it saw (for <c>rate_above</c>, and to ignore readings older than it), and when the
/// rule's sensor last reported (for <c>stale</c>). Not part of the GraphQL schema.
/// </summary>
public sealed class AlarmState
{
    public Guid RuleId { get; set; }
    public Guid DeviceId { get; set; }
    public DateTimeOffset? PendingSince { get; set; }
    public DateTimeOffset? LastTime { get; set; }
    public double? LastValue { get; set; }
}
