using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NegotiationHub.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BidSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "Bids",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "Bids");
        }
    }
}
