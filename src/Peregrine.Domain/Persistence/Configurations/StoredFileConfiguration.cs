using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Peregrine.Domain.Model;
using Peregrine.Domain.Model.Media;

namespace Peregrine.Domain.Persistence.Configurations;

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> e)
    {
        e.ToTable("files", t => t.HasCheckConstraint("files_status_check", "status IN ('staged', 'valid', 'rejected')"));
        e.HasKey(x => x.Id).HasName("files_pkey");
        e.Property(x => x.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        e.Property(x => x.BucketId).HasColumnName("bucket_id").HasDefaultValue("default").IsRequired();
        e.Property(x => x.Name).HasColumnName("name").IsRequired();
        e.Property(x => x.Size).HasColumnName("size");
        e.Property(x => x.MimeType).HasColumnName("mime_type").IsRequired();
        e.Property(x => x.Etag).HasColumnName("etag");
        e.Property(x => x.IsUploaded).HasColumnName("is_uploaded").HasDefaultValue(false);
        e.Property(x => x.Status).HasColumnName("status").HasDefaultValue(FileStatus.Staged).IsRequired();
        e.Property(x => x.RejectionReason).HasColumnName("rejection_reason");
        e.Property(x => x.UploadedByUserId).HasColumnName("uploaded_by_user_id");
        e.Property(x => x.StorageKey).HasColumnName("storage_key");
        e.Property(x => x.ThumbnailKey).HasColumnName("thumbnail_key");
        e.Property(x => x.Url).HasColumnName("url");
        e.Property(x => x.ThumbnailUrl).HasColumnName("thumbnail_url");
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");

        // No navigation: a user's files are not a relationship of users (the files API lists them).
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UploadedByUserId)
            .HasConstraintName("files_uploaded_by_user_id_fkey").OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(x => x.UploadedByUserId).HasDatabaseName("idx_files_uploaded_by_user");
        // The staging purge looks for old staged rows.
        e.HasIndex(x => x.CreatedAt).HasDatabaseName("idx_files_staged_created_at").HasFilter("status = 'staged'");
    }
}
