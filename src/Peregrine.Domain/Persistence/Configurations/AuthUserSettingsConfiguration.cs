using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;
using Peregrine.Domain.Model.Auth;

namespace Peregrine.Domain.Persistence.Configurations;

/// <summary>Auth-only state; the <c>auth_</c> prefix keeps it out of the GraphQL API.</summary>
internal sealed class AuthUserSettingsConfiguration : IEntityTypeConfiguration<AuthUserSettings>
{
    public void Configure(EntityTypeBuilder<AuthUserSettings> e)
    {
        e.ToTable("auth_user_settings");
        e.HasKey(x => x.UserId).HasName("auth_user_settings_pkey");
        e.Property(x => x.UserId).HasColumnName("user_id");
        // No navigation on User: the API's users type must not grow a relationship.
        e.HasOne<User>().WithOne().HasForeignKey<AuthUserSettings>(x => x.UserId)
            .HasConstraintName("auth_user_settings_user_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.DisplayName).HasColumnName("display_name");
        e.Property(x => x.AvatarUrl).HasColumnName("avatar_url");
        e.Property(x => x.Locale).HasColumnName("locale").HasDefaultValueSql("'en'");
        e.Property(x => x.DefaultRole).HasColumnName("default_role").HasDefaultValueSql("'user'");
        e.Property(x => x.Roles).HasColumnName("roles").HasColumnType("text[]").HasDefaultValueSql("'{user,me}'::text[]");
        e.Property(x => x.Metadata).HasColumnName("metadata").HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        e.Property(x => x.EmailVerified).HasColumnName("email_verified").HasDefaultValueSql("false");
        e.Property(x => x.IsAnonymous).HasColumnName("is_anonymous").HasDefaultValueSql("false");
        e.Property(x => x.Disabled).HasColumnName("disabled").HasDefaultValueSql("false");
        e.Property(x => x.ActiveMfaType).HasColumnName("active_mfa_type");
        e.Property(x => x.TotpSecret).HasColumnName("totp_secret");
        e.Property(x => x.TotpSecretKeyId).HasColumnName("totp_secret_key_id");
        e.Property(x => x.LastSeen).HasColumnName("last_seen");
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
    }
}
