namespace Peregrine.Domain.Model.Sensors;

/// <summary>
/// A thing that sends readings (which live in InfluxDB, keyed by this id). <see cref="LastSeenAt"/> is the
/// newest reading time ingest has accepted; the <c>stale</c> alarm rules read it.
/// </summary>
public sealed class Device
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public Guid? EnclosureId { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public DateTimeOffset? LastSeenAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public User? Owner { get; set; }
    public Enclosure? Enclosure { get; set; }
    public List<AlarmRule> AlarmRules { get; set; } = [];
    public List<AlarmEvent> AlarmEvents { get; set; } = [];
}
