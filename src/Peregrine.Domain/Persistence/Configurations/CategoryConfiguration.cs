using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> e)
    {
        e.ToTable("categories");
        e.HasKey(x => x.Id).HasName("categories_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.Name).HasColumnName("name").IsRequired();
        e.HasAlternateKey(x => x.Name).HasName("categories_name_key");
        e.Property(x => x.Description).HasColumnName("description");
        e.Property(x => x.Icon).HasColumnName("icon");
    }
}
