using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Peregrine.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MediaFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "file_id",
                table: "phenom_media",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    bucket_id = table.Column<string>(type: "text", nullable: false, defaultValue: "default"),
                    name = table.Column<string>(type: "text", nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    mime_type = table.Column<string>(type: "text", nullable: false),
                    etag = table.Column<string>(type: "text", nullable: true),
                    is_uploaded = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    status = table.Column<string>(type: "text", nullable: false, defaultValue: "staged"),
                    rejection_reason = table.Column<string>(type: "text", nullable: true),
                    uploaded_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    storage_key = table.Column<string>(type: "text", nullable: true),
                    thumbnail_key = table.Column<string>(type: "text", nullable: true),
                    url = table.Column<string>(type: "text", nullable: true),
                    thumbnail_url = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("files_pkey", x => x.id);
                    table.CheckConstraint("files_status_check", "status IN ('staged', 'valid', 'rejected')");
                    table.ForeignKey(
                        name: "files_uploaded_by_user_id_fkey",
                        column: x => x.uploaded_by_user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "idx_phenom_media_file",
                table: "phenom_media",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "idx_files_staged_created_at",
                table: "files",
                column: "created_at",
                filter: "status = 'staged'");

            migrationBuilder.CreateIndex(
                name: "idx_files_uploaded_by_user",
                table: "files",
                column: "uploaded_by_user_id");

            migrationBuilder.AddForeignKey(
                name: "phenom_media_file_id_fkey",
                table: "phenom_media",
                column: "file_id",
                principalTable: "files",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.Sql(Sql.MediaFileSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.MediaFileSql.Down);

            migrationBuilder.DropForeignKey(
                name: "phenom_media_file_id_fkey",
                table: "phenom_media");

            migrationBuilder.DropTable(
                name: "files");

            migrationBuilder.DropIndex(
                name: "idx_phenom_media_file",
                table: "phenom_media");

            migrationBuilder.DropColumn(
                name: "file_id",
                table: "phenom_media");
        }
    }
}
