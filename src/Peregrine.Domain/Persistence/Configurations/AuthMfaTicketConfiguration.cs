using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;
using Peregrine.Domain.Model.Auth;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class AuthMfaTicketConfiguration : IEntityTypeConfiguration<AuthMfaTicket>
{
    public void Configure(EntityTypeBuilder<AuthMfaTicket> e)
    {
        e.ToTable("auth_mfa_tickets");
        e.HasKey(x => x.TicketHash).HasName("auth_mfa_tickets_pkey");
        e.Property(x => x.TicketHash).HasColumnName("ticket_hash");
        e.Property(x => x.UserId).HasColumnName("user_id");
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId)
            .HasConstraintName("auth_mfa_tickets_user_id_fkey").OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => x.UserId).HasDatabaseName("auth_mfa_tickets_user_id_idx");
        e.Property(x => x.ExpiresAt).HasColumnName("expires_at");
    }
}
