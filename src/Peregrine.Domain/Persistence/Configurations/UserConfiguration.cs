using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
    {
        e.ToTable("users");
        e.HasKey(x => x.Id).HasName("users_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.Email).HasColumnName("email").IsRequired();
        // A real UNIQUE constraint (not just an index) so on_conflict can name it.
        e.HasAlternateKey(x => x.Email).HasName("users_email_key");
        e.Property(x => x.PasswordHash).HasColumnName("password_hash");
        e.Property(x => x.Profile).HasColumnName("profile").HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
    }
}
