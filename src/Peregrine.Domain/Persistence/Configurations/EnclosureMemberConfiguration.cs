using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model.Sensors;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class EnclosureMemberConfiguration : IEntityTypeConfiguration<EnclosureMember>
{
    public void Configure(EntityTypeBuilder<EnclosureMember> e)
    {
        e.ToTable("enclosure_members", t => t.HasCheckConstraint("enclosure_members_role_check", "role IN ('viewer', 'keeper')"));
        e.HasKey(x => new { x.EnclosureId, x.UserId }).HasName("enclosure_members_pkey");
        e.Property(x => x.EnclosureId).HasColumnName("enclosure_id");
        e.Property(x => x.UserId).HasColumnName("user_id");
        e.Property(x => x.Role).HasColumnName("role").HasDefaultValue(EnclosureRole.Viewer).IsRequired();
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.HasOne(x => x.Enclosure).WithMany(x => x.Members).HasForeignKey(x => x.EnclosureId)
            .HasConstraintName("enclosure_members_enclosure_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId)
            .HasConstraintName("enclosure_members_user_id_fkey").OnDelete(DeleteBehavior.Cascade);
        // Permission filters ask "is this user a member of the enclosure" from the user's side.
        e.HasIndex(x => x.UserId).HasDatabaseName("idx_enclosure_members_user");
    }
}
