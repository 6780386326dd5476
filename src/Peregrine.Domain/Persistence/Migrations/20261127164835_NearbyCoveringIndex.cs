using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Peregrine.Domain.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class NearbyCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "idx_phenom_reports_h3_cell_r15",
                table: "phenom_reports");

            migrationBuilder.CreateIndex(
                name: "idx_phenom_reports_h3_cell_r15",
                table: "phenom_reports",
                column: "h3_cell_r15")
                .Annotation("Npgsql:IndexInclude", new[] { "timestamp", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "idx_phenom_reports_h3_cell_r15",
                table: "phenom_reports");

            migrationBuilder.CreateIndex(
                name: "idx_phenom_reports_h3_cell_r15",
                table: "phenom_reports",
                column: "h3_cell_r15");
        }
    }
}
