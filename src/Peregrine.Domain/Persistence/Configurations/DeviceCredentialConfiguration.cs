using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model.Sensors;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class DeviceCredentialConfiguration : IEntityTypeConfiguration<DeviceCredential>
{
    public void Configure(EntityTypeBuilder<DeviceCredential> e)
    {
        e.ToTable("device_credentials");
        e.HasKey(x => x.ClientId).HasName("device_credentials_pkey");
        e.Property(x => x.ClientId).HasColumnName("client_id");
        e.Property(x => x.DeviceId).HasColumnName("device_id");
        e.Property(x => x.SecretHash).HasColumnName("secret_hash").IsRequired();
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.Property(x => x.RevokedAt).HasColumnName("revoked_at");
        e.HasOne(x => x.Device).WithMany().HasForeignKey(x => x.DeviceId)
            .HasConstraintName("device_credentials_device_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.DeviceId).HasDatabaseName("idx_device_credentials_device");
    }
}
