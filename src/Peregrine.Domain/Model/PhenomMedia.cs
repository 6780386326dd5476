using System.Text.Json;

namespace Peregrine.Domain.Model;

public sealed class PhenomMedia
{
    public Guid Id { get; set; }
    public Guid ReportId { get; set; }
    public string Url { get; set; } = "";
    public string Type { get; set; } = "";
    public JsonDocument? Metadata { get; set; }
    public string? ThumbnailUrl { get; set; }
    /// <summary>The uploaded file this media shows; when set, the server fills <see cref="Url"/> and <see cref="ThumbnailUrl"/> from it.</summary>
    public Guid? FileId { get; set; }

    public PhenomReport? Report { get; set; }
    public Media.StoredFile? File { get; set; }
}
