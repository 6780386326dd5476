using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;
using Peregrine.Domain.Model.Sensors;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class EnclosureConfiguration : IEntityTypeConfiguration<Enclosure>
{
    public void Configure(EntityTypeBuilder<Enclosure> e)
    {
        e.ToTable("enclosures");
        e.HasKey(x => x.Id).HasName("enclosures_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.OwnerId).HasColumnName("owner_id");
        e.Property(x => x.Name).HasColumnName("name").IsRequired();
        e.Property(x => x.Kind).HasColumnName("kind").HasDefaultValue("").IsRequired();
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        // No navigation on users: the sensors room stays out of the app's user type.
        e.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId)
            .HasConstraintName("enclosures_owner_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.OwnerId).HasDatabaseName("idx_enclosures_owner");
    }
}
