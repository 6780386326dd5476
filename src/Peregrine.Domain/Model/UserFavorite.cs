namespace Peregrine.Domain.Model;

public sealed class UserFavorite
{
    public Guid UserId { get; set; }
    public Guid ReportId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public User? User { get; set; }
    public PhenomReport? Report { get; set; }
}
