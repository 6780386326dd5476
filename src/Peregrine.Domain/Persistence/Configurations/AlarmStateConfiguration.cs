using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model.Sensors;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class AlarmStateConfiguration : IEntityTypeConfiguration<AlarmState>
{
    public void Configure(EntityTypeBuilder<AlarmState> e)
    {
        e.ToTable("alarm_states");
        e.HasKey(x => new { x.RuleId, x.DeviceId }).HasName("alarm_states_pkey");
        e.Property(x => x.RuleId).HasColumnName("rule_id");
        e.Property(x => x.DeviceId).HasColumnName("device_id");
        e.Property(x => x.PendingSince).HasColumnName("pending_since");
        e.Property(x => x.LastTime).HasColumnName("last_time");
        e.Property(x => x.LastValue).HasColumnName("last_value");
        e.HasOne<AlarmRule>().WithMany().HasForeignKey(x => x.RuleId)
            .HasConstraintName("alarm_states_rule_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Device>().WithMany().HasForeignKey(x => x.DeviceId)
            .HasConstraintName("alarm_states_device_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.DeviceId).HasDatabaseName("idx_alarm_states_device");
    }
}
