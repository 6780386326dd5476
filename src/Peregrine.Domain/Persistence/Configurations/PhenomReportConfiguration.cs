using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class PhenomReportConfiguration : IEntityTypeConfiguration<PhenomReport>
{
    public void Configure(EntityTypeBuilder<PhenomReport> e)
    {
        e.ToTable("phenom_reports");
        e.HasKey(x => x.Id).HasName("phenom_reports_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.UserId).HasColumnName("user_id");
        e.Property(x => x.Location).HasColumnName("location").HasColumnType("geography(Point,4326)").IsRequired();
        e.Property(x => x.Coordinates).HasColumnName("coordinates").HasColumnType("jsonb");
        e.Property(x => x.Timestamp).HasColumnName("timestamp").HasDefaultValueSql("now()");
        e.Property(x => x.H3Index).HasColumnName("h3_index");
        e.Property(x => x.H3Resolution).HasColumnName("h3_resolution");
        e.Property(x => x.H3CellR15).HasColumnName("h3_cell_r15");
        e.Property(x => x.Description).HasColumnName("description");

        e.HasOne(x => x.User).WithMany(u => u.PhenomReports).HasForeignKey(x => x.UserId)
            .HasConstraintName("phenom_reports_user_id_fkey").OnDelete(DeleteBehavior.SetNull);

        // The seed's four indexes.
        e.HasIndex(x => x.Location).HasDatabaseName("idx_phenom_reports_location").HasMethod("gist");
        e.HasIndex(x => x.H3Index).HasDatabaseName("idx_phenom_reports_h3");
        e.HasIndex(x => x.Timestamp).HasDatabaseName("idx_phenom_reports_timestamp").IsDescending();
        e.HasIndex(x => x.UserId).HasDatabaseName("idx_phenom_reports_user");
        // Carries the columns "near a point, newest first" orders by, so its candidates come from index-only scans.
        e.HasIndex(x => x.H3CellR15).HasDatabaseName("idx_phenom_reports_h3_cell_r15").IncludeProperties(x => new { x.Timestamp, x.Id });
        e.HasIndex(x => x.Description).HasDatabaseName("idx_phenom_reports_description_fts")
            .HasMethod("gin").IsTsVectorExpressionIndex("english");
    }
}
