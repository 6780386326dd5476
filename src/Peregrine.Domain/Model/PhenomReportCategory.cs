namespace Peregrine.Domain.Model;

/// <summary>The bridge row of the many-to-many between reports and categories.</summary>
public sealed class PhenomReportCategory
{
    public Guid ReportId { get; set; }
    public Guid CategoryId { get; set; }

    public PhenomReport? Report { get; set; }
    public Category? Category { get; set; }
}
