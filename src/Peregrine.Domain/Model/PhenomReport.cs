using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Peregrine.Domain.Model;

public sealed class PhenomReport
{
    public Guid Id { get; set; }
    public Guid? UserId { get; set; }
    public Point Location { get; set; } = null!;
    public JsonDocument? Coordinates { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public string? H3Index { get; set; }
    public int? H3Resolution { get; set; }
    // The resolution-15 cell as a signed 64-bit value: descendants of any cell form one contiguous
    // range of these, so "inside cell X" is a btree range scan.
    public long? H3CellR15 { get; set; }
    public string? Description { get; set; }

    public User? User { get; set; }
    public List<PhenomMedia> Media { get; set; } = [];
    public List<PhenomReportCategory> Categories { get; set; } = [];
    public List<UserFavorite> FavoritedBy { get; set; } = [];
}
