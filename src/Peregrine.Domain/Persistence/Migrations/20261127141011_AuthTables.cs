using System;
using System.Collections.Generic;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Peregrine.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AuthTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "auth_mfa_tickets",
                columns: table => new
                {
                    ticket_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("auth_mfa_tickets_pkey", x => x.ticket_hash);
                    table.ForeignKey(
                        name: "auth_mfa_tickets_user_id_fkey",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "auth_refresh_tokens",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    family_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("auth_refresh_tokens_pkey", x => x.id);
                    table.ForeignKey(
                        name: "auth_refresh_tokens_user_id_fkey",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "auth_user_settings",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    display_name = table.Column<string>(type: "text", nullable: true),
                    avatar_url = table.Column<string>(type: "text", nullable: true),
                    locale = table.Column<string>(type: "text", nullable: false, defaultValueSql: "'en'"),
                    default_role = table.Column<string>(type: "text", nullable: false, defaultValueSql: "'user'"),
                    roles = table.Column<List<string>>(type: "text[]", nullable: false, defaultValueSql: "'{user,me}'::text[]"),
                    metadata = table.Column<JsonDocument>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    email_verified = table.Column<bool>(type: "boolean", nullable: false, defaultValueSql: "false"),
                    is_anonymous = table.Column<bool>(type: "boolean", nullable: false, defaultValueSql: "false"),
                    disabled = table.Column<bool>(type: "boolean", nullable: false, defaultValueSql: "false"),
                    active_mfa_type = table.Column<string>(type: "text", nullable: true),
                    totp_secret = table.Column<string>(type: "text", nullable: true),
                    last_seen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("auth_user_settings_pkey", x => x.user_id);
                    table.ForeignKey(
                        name: "auth_user_settings_user_id_fkey",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "auth_mfa_tickets_user_id_idx",
                table: "auth_mfa_tickets",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "auth_refresh_tokens_family_id_idx",
                table: "auth_refresh_tokens",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "auth_refresh_tokens_token_hash_key",
                table: "auth_refresh_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "auth_refresh_tokens_user_id_idx",
                table: "auth_refresh_tokens",
                column: "user_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "auth_mfa_tickets");

            migrationBuilder.DropTable(
                name: "auth_refresh_tokens");

            migrationBuilder.DropTable(
                name: "auth_user_settings");
        }
    }
}
