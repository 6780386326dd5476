namespace Peregrine.Domain.Model.Sensors;

/// <summary>A user an enclosure is shared with: viewers read its devices, rules and alarms; keepers also acknowledge alarms.</summary>
public sealed class EnclosureMember
{
    public Guid EnclosureId { get; set; }
    public Guid UserId { get; set; }
    public string Role { get; set; } = EnclosureRole.Viewer;
    public DateTimeOffset CreatedAt { get; set; }

    public Enclosure? Enclosure { get; set; }
    public User? User { get; set; }
}

/// <summary>The values of <c>enclosure_members.role</c>.</summary>
public static class EnclosureRole
{
    public const string Viewer = "viewer";
    public const string Keeper = "keeper";
}
