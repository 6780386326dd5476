using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;
using Peregrine.Domain.Model.Auth;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class AuthRefreshTokenConfiguration : IEntityTypeConfiguration<AuthRefreshToken>
{
    public void Configure(EntityTypeBuilder<AuthRefreshToken> e)
    {
        e.ToTable("auth_refresh_tokens");
        e.HasKey(x => x.Id).HasName("auth_refresh_tokens_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.UserId).HasColumnName("user_id");
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId)
            .HasConstraintName("auth_refresh_tokens_user_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.FamilyId).HasColumnName("family_id");
        e.Property(x => x.TokenHash).HasColumnName("token_hash");
        e.HasIndex(x => x.TokenHash).IsUnique().HasDatabaseName("auth_refresh_tokens_token_hash_key");
        e.HasIndex(x => x.FamilyId).HasDatabaseName("auth_refresh_tokens_family_id_idx");
        e.HasIndex(x => x.UserId).HasDatabaseName("auth_refresh_tokens_user_id_idx");
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.Property(x => x.ExpiresAt).HasColumnName("expires_at");
        e.Property(x => x.UsedAt).HasColumnName("used_at");
    }
}
