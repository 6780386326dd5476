using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Peregrine.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SensorsDevicesAlarms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "enclosures",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false, defaultValue: ""),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("enclosures_pkey", x => x.id);
                    table.ForeignKey(
                        name: "enclosures_owner_id_fkey",
                        column: x => x.owner_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "devices",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    enclosure_id = table.Column<Guid>(type: "uuid", nullable: true),
                    name = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false, defaultValue: ""),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("devices_pkey", x => x.id);
                    table.ForeignKey(
                        name: "devices_enclosure_id_fkey",
                        column: x => x.enclosure_id,
                        principalTable: "enclosures",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "devices_owner_id_fkey",
                        column: x => x.owner_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "enclosure_members",
                columns: table => new
                {
                    enclosure_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    role = table.Column<string>(type: "text", nullable: false, defaultValue: "viewer"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("enclosure_members_pkey", x => new { x.enclosure_id, x.user_id });
                    table.CheckConstraint("enclosure_members_role_check", "role IN ('viewer', 'keeper')");
                    table.ForeignKey(
                        name: "enclosure_members_enclosure_id_fkey",
                        column: x => x.enclosure_id,
                        principalTable: "enclosures",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "enclosure_members_user_id_fkey",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alarm_rules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    owner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    device_id = table.Column<Guid>(type: "uuid", nullable: true),
                    enclosure_id = table.Column<Guid>(type: "uuid", nullable: true),
                    sensor = table.Column<string>(type: "text", nullable: false),
                    field = table.Column<string>(type: "text", nullable: false, defaultValue: "value"),
                    condition = table.Column<string>(type: "text", nullable: false),
                    threshold = table.Column<double>(type: "double precision", nullable: false),
                    threshold_high = table.Column<double>(type: "double precision", nullable: true),
                    for_seconds = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    enabled = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("alarm_rules_pkey", x => x.id);
                    table.CheckConstraint("alarm_rules_condition_check", "condition IN ('above', 'below', 'outside', 'rate_above', 'stale')");
                    table.CheckConstraint("alarm_rules_field_check", "field IN ('value', 'x', 'y', 'z')");
                    table.CheckConstraint("alarm_rules_for_seconds_check", "for_seconds >= 0 AND for_seconds <= 2592000");
                    table.CheckConstraint("alarm_rules_outside_check", "condition <> 'outside' OR (threshold_high IS NOT NULL AND threshold_high >= threshold)");
                    table.CheckConstraint("alarm_rules_stale_check", "condition <> 'stale' OR for_seconds > 0");
                    table.CheckConstraint("alarm_rules_target_check", "(device_id IS NULL) <> (enclosure_id IS NULL)");
                    table.ForeignKey(
                        name: "alarm_rules_device_id_fkey",
                        column: x => x.device_id,
                        principalTable: "devices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "alarm_rules_enclosure_id_fkey",
                        column: x => x.enclosure_id,
                        principalTable: "enclosures",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "alarm_rules_owner_id_fkey",
                        column: x => x.owner_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "device_credentials",
                columns: table => new
                {
                    client_id = table.Column<string>(type: "text", nullable: false),
                    device_id = table.Column<Guid>(type: "uuid", nullable: false),
                    secret_hash = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("device_credentials_pkey", x => x.client_id);
                    table.ForeignKey(
                        name: "device_credentials_device_id_fkey",
                        column: x => x.device_id,
                        principalTable: "devices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alarm_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    rule_id = table.Column<Guid>(type: "uuid", nullable: false),
                    device_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sensor = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    acknowledged_by = table.Column<Guid>(type: "uuid", nullable: true),
                    acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("alarm_events_pkey", x => x.id);
                    table.ForeignKey(
                        name: "alarm_events_acknowledged_by_fkey",
                        column: x => x.acknowledged_by,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "alarm_events_device_id_fkey",
                        column: x => x.device_id,
                        principalTable: "devices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "alarm_events_rule_id_fkey",
                        column: x => x.rule_id,
                        principalTable: "alarm_rules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "alarm_events_open_key",
                table: "alarm_events",
                columns: new[] { "rule_id", "device_id" },
                unique: true,
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "idx_alarm_events_acknowledged_by",
                table: "alarm_events",
                column: "acknowledged_by");

            migrationBuilder.CreateIndex(
                name: "idx_alarm_events_device",
                table: "alarm_events",
                column: "device_id");

            migrationBuilder.CreateIndex(
                name: "idx_alarm_events_started_at",
                table: "alarm_events",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "idx_alarm_rules_device",
                table: "alarm_rules",
                column: "device_id");

            migrationBuilder.CreateIndex(
                name: "idx_alarm_rules_enclosure",
                table: "alarm_rules",
                column: "enclosure_id");

            migrationBuilder.CreateIndex(
                name: "idx_alarm_rules_owner",
                table: "alarm_rules",
                column: "owner_id");

            migrationBuilder.CreateIndex(
                name: "idx_device_credentials_device",
                table: "device_credentials",
                column: "device_id");

            migrationBuilder.CreateIndex(
                name: "idx_devices_enclosure",
                table: "devices",
                column: "enclosure_id");

            migrationBuilder.CreateIndex(
                name: "idx_devices_owner",
                table: "devices",
                column: "owner_id");

            migrationBuilder.CreateIndex(
                name: "idx_enclosure_members_user",
                table: "enclosure_members",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "idx_enclosures_owner",
                table: "enclosures",
                column: "owner_id");

            migrationBuilder.Sql(Sql.SensorsSql.Up);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Sql.SensorsSql.Down);

            migrationBuilder.DropTable(
                name: "alarm_events");

            migrationBuilder.DropTable(
                name: "device_credentials");

            migrationBuilder.DropTable(
                name: "enclosure_members");

            migrationBuilder.DropTable(
                name: "alarm_rules");

            migrationBuilder.DropTable(
                name: "devices");

            migrationBuilder.DropTable(
                name: "enclosures");
        }
    }
}
