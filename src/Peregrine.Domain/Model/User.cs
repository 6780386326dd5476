using System.Text.Json;

namespace Peregrine.Domain.Model;

public sealed class User
{
    public Guid Id { get; set; }
    public string Email { get; set; } = "";
    // Null for users created by an admin or a future social sign-in; only the auth endpoints read it.
    public string? PasswordHash { get; set; }
    public JsonDocument Profile { get; set; } = JsonDocument.Parse("{}");
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<PhenomReport> PhenomReports { get; set; } = [];
    public List<UserFavorite> Favorites { get; set; } = [];
}
