namespace Peregrine.Domain.Seeding;

// One record per table row the seeder writes, in the tables' column order. JSON columns are held as
// text (written as jsonb by COPY); timestamps are UTC.

internal readonly record struct DemoUserRow(
    Guid Id, string Email, string ProfileJson, DateTime CreatedAt, DateTime UpdatedAt);

internal readonly record struct DemoCategoryRow(Guid Id, string Name, string Description, string Icon);

internal sealed record DemoReportRow(
    Guid Id, Guid? UserId, double Lat, double Lng, string CoordinatesJson, DateTime Timestamp,
    ReportCell Cell, string Description);

internal readonly record struct DemoMediaRow(
    Guid Id, Guid ReportId, string Url, string Type, string MetadataJson, string ThumbnailUrl);

internal readonly record struct DemoReportCategoryRow(Guid ReportId, Guid CategoryId);

internal readonly record struct DemoFavoriteRow(Guid UserId, Guid ReportId, DateTime CreatedAt);

/// <summary>The H3 columns of a report: <c>h3_index</c>, <c>h3_resolution</c>, <c>h3_cell_r15</c>.</summary>
internal readonly record struct ReportCell(string? H3Index, int? H3Resolution, long? H3CellR15)
{
    public static readonly ReportCell None = default;
}

/// <summary>The one place a report's H3 cells are computed from its location (resolution 7, the server's default).</summary>
internal static class ReportCells
{
    public const int Resolution = 7;

    public static ReportCell For(double lat, double lng)
    {
        var (index, cell15) = Peregrine.Domain.Geo.H3Ranges.ForPoint(lat, lng, Resolution);
        return new ReportCell(index, Resolution, cell15);
    }
}
