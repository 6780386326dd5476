using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;
using Peregrine.Domain.Model.Sensors;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class AlarmEventConfiguration : IEntityTypeConfiguration<AlarmEvent>
{
    public void Configure(EntityTypeBuilder<AlarmEvent> e)
    {
        e.ToTable("alarm_events");
        e.HasKey(x => x.Id).HasName("alarm_events_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.RuleId).HasColumnName("rule_id");
        e.Property(x => x.DeviceId).HasColumnName("device_id");
        e.Property(x => x.Sensor).HasColumnName("sensor").IsRequired();
        e.Property(x => x.Value).HasColumnName("value");
        e.Property(x => x.StartedAt).HasColumnName("started_at").HasDefaultValueSql("now()");
        e.Property(x => x.ResolvedAt).HasColumnName("resolved_at");
        e.Property(x => x.AcknowledgedBy).HasColumnName("acknowledged_by");
        e.Property(x => x.AcknowledgedAt).HasColumnName("acknowledged_at");
        e.HasOne(x => x.Rule).WithMany(x => x.Events).HasForeignKey(x => x.RuleId)
            .HasConstraintName("alarm_events_rule_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Device).WithMany(x => x.AlarmEvents).HasForeignKey(x => x.DeviceId)
            .HasConstraintName("alarm_events_device_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.AcknowledgedBy)
            .HasConstraintName("alarm_events_acknowledged_by_fkey").OnDelete(DeleteBehavior.SetNull);
        // The alarm state every instance shares: at most one open event per rule and device, so two
        // instances evaluating the same batch cannot both open one (the second insert does nothing).
        e.HasIndex(x => new { x.RuleId, x.DeviceId }).HasDatabaseName("alarm_events_open_key")
            .IsUnique().HasFilter("resolved_at IS NULL");
        e.HasIndex(x => x.DeviceId).HasDatabaseName("idx_alarm_events_device");
        e.HasIndex(x => x.AcknowledgedBy).HasDatabaseName("idx_alarm_events_acknowledged_by");
        e.HasIndex(x => x.StartedAt).HasDatabaseName("idx_alarm_events_started_at");
    }
}
