namespace Peregrine.Domain.Model;

public sealed class Category
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string? Icon { get; set; }

    public List<PhenomReportCategory> PhenomReports { get; set; } = [];
}
