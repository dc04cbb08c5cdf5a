using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NegotiationHub.Data;

namespace NegotiationHub.Migrations.Sqlite;

/// <summary>Bids remember the sequence number of their BidAccepted message, so a resent bid id is acknowledged with it (issue 15).</summary>
[DbContext(typeof(NegotiationDbContext))]
[Migration("20261206000000_BidSequence")]
public sealed class BidSequence : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<long>(name: "Sequence", table: "Bids", type: "INTEGER", nullable: true);

    // EF's SQLite provider refuses DropColumnOperation (it would rebuild the table); SQLite ≥ 3.35 drops a plain column itself.
    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql(@"ALTER TABLE ""Bids"" DROP COLUMN ""Sequence"";");
}
