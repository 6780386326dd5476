using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class PhenomReportCategoryConfiguration : IEntityTypeConfiguration<PhenomReportCategory>
{
    public void Configure(EntityTypeBuilder<PhenomReportCategory> e)
    {
        e.ToTable("phenom_report_categories");
        e.HasKey(x => new { x.ReportId, x.CategoryId }).HasName("phenom_report_categories_pkey");
        e.Property(x => x.ReportId).HasColumnName("report_id");
        e.Property(x => x.CategoryId).HasColumnName("category_id");
        e.HasOne(x => x.Report).WithMany(r => r.Categories).HasForeignKey(x => x.ReportId)
            .HasConstraintName("phenom_report_categories_report_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Category).WithMany(c => c.PhenomReports).HasForeignKey(x => x.CategoryId)
            .HasConstraintName("phenom_report_categories_category_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.CategoryId).HasDatabaseName("idx_phenom_report_categories_category");
    }
}
