using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class UserFavoriteConfiguration : IEntityTypeConfiguration<UserFavorite>
{
    public void Configure(EntityTypeBuilder<UserFavorite> e)
    {
        e.ToTable("user_favorites");
        e.HasKey(x => new { x.UserId, x.ReportId }).HasName("user_favorites_pkey");
        e.Property(x => x.UserId).HasColumnName("user_id");
        e.Property(x => x.ReportId).HasColumnName("report_id");
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.HasOne(x => x.User).WithMany(u => u.Favorites).HasForeignKey(x => x.UserId)
            .HasConstraintName("user_favorites_user_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Report).WithMany(r => r.FavoritedBy).HasForeignKey(x => x.ReportId)
            .HasConstraintName("user_favorites_report_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.ReportId).HasDatabaseName("idx_user_favorites_report");
    }
}
