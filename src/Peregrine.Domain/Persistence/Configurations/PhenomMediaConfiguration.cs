using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class PhenomMediaConfiguration : IEntityTypeConfiguration<PhenomMedia>
{
    public void Configure(EntityTypeBuilder<PhenomMedia> e)
    {
        e.ToTable("phenom_media");
        e.HasKey(x => x.Id).HasName("phenom_media_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.ReportId).HasColumnName("report_id");
        e.Property(x => x.Url).HasColumnName("url").IsRequired();
        e.Property(x => x.Type).HasColumnName("type").IsRequired();
        e.Property(x => x.Metadata).HasColumnName("metadata").HasColumnType("jsonb");
        e.Property(x => x.ThumbnailUrl).HasColumnName("thumbnail_url");

        e.HasOne(x => x.Report).WithMany(r => r.Media).HasForeignKey(x => x.ReportId)
            .HasConstraintName("phenom_media_report_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.ReportId).HasDatabaseName("idx_phenom_media_report");

        e.Property(x => x.FileId).HasColumnName("file_id");
        // Deleting a file leaves the media row with its last URL rather than deleting a user's report content.
        e.HasOne(x => x.File).WithMany().HasForeignKey(x => x.FileId)
            .HasConstraintName("phenom_media_file_id_fkey").OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(x => x.FileId).HasDatabaseName("idx_phenom_media_file");
    }
}
