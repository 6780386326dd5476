using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model.Sensors;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class AlarmRuleConfiguration : IEntityTypeConfiguration<AlarmRule>
{
    public void Configure(EntityTypeBuilder<AlarmRule> e)
    {
        e.ToTable("alarm_rules", t =>
        {
            t.HasCheckConstraint("alarm_rules_condition_check", "condition IN ('above', 'below', 'outside', 'rate_above', 'stale')");
            t.HasCheckConstraint("alarm_rules_field_check", "field IN ('value', 'x', 'y', 'z')");
            // A rule watches one device or every device of one enclosure, never both or neither.
            t.HasCheckConstraint("alarm_rules_target_check", "(device_id IS NULL) <> (enclosure_id IS NULL)");
            t.HasCheckConstraint("alarm_rules_outside_check", "condition <> 'outside' OR (threshold_high IS NOT NULL AND threshold_high >= threshold)");
            t.HasCheckConstraint("alarm_rules_for_seconds_check", "for_seconds >= 0 AND for_seconds <= 2592000");
            // stale means "no reading for for_seconds": zero would fire between any two readings.
            t.HasCheckConstraint("alarm_rules_stale_check", "condition <> 'stale' OR for_seconds > 0");
        });
        e.HasKey(x => x.Id).HasName("alarm_rules_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.OwnerId).HasColumnName("owner_id");
        e.Property(x => x.DeviceId).HasColumnName("device_id");
        e.Property(x => x.EnclosureId).HasColumnName("enclosure_id");
        e.Property(x => x.Sensor).HasColumnName("sensor").IsRequired();
        e.Property(x => x.Field).HasColumnName("field").HasDefaultValue("value").IsRequired();
        e.Property(x => x.Condition).HasColumnName("condition").IsRequired();
        e.Property(x => x.Threshold).HasColumnName("threshold");
        e.Property(x => x.ThresholdHigh).HasColumnName("threshold_high");
        e.Property(x => x.ForSeconds).HasColumnName("for_seconds").HasDefaultValue(0);
        e.Property(x => x.Enabled).HasColumnName("enabled").HasDefaultValue(true);
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId)
            .HasConstraintName("alarm_rules_owner_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Device).WithMany(x => x.AlarmRules).HasForeignKey(x => x.DeviceId)
            .HasConstraintName("alarm_rules_device_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Enclosure).WithMany(x => x.AlarmRules).HasForeignKey(x => x.EnclosureId)
            .HasConstraintName("alarm_rules_enclosure_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.OwnerId).HasDatabaseName("idx_alarm_rules_owner");
        e.HasIndex(x => x.DeviceId).HasDatabaseName("idx_alarm_rules_device");
        e.HasIndex(x => x.EnclosureId).HasDatabaseName("idx_alarm_rules_enclosure");
    }
}
