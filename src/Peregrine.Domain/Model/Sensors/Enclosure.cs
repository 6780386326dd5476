namespace Peregrine.Domain.Model.Sensors;

/// <summary>
/// Where devices live: a terrarium, a field station, a phone. Its owner may share read access through
/// <see cref="EnclosureMember"/> rows.
/// </summary>
public sealed class Enclosure
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    public User? Owner { get; set; }
    public List<Device> Devices { get; set; } = [];
    public List<EnclosureMember> Members { get; set; } = [];
    public List<AlarmRule> AlarmRules { get; set; } = [];
}
