using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model.Sensors;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> e)
    {
        e.ToTable("devices");
        e.HasKey(x => x.Id).HasName("devices_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.OwnerId).HasColumnName("owner_id");
        e.Property(x => x.EnclosureId).HasColumnName("enclosure_id");
        e.Property(x => x.Name).HasColumnName("name").IsRequired();
        e.Property(x => x.Kind).HasColumnName("kind").HasDefaultValue("").IsRequired();
        e.Property(x => x.LastSeenAt).HasColumnName("last_seen_at");
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId)
            .HasConstraintName("devices_owner_id_fkey").OnDelete(DeleteBehavior.Cascade);
        // A device outlives its enclosure (it is moved or unassigned, not deleted).
        e.HasOne(x => x.Enclosure).WithMany(x => x.Devices).HasForeignKey(x => x.EnclosureId)
            .HasConstraintName("devices_enclosure_id_fkey").OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(x => x.OwnerId).HasDatabaseName("idx_devices_owner");
        e.HasIndex(x => x.EnclosureId).HasDatabaseName("idx_devices_enclosure");
    }
}
