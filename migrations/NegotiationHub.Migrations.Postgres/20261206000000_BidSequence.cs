using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NegotiationHub.Data;

namespace NegotiationHub.Migrations.Postgres;

/// <summary>Bids remember the sequence number of their BidAccepted message, so a resent bid id is acknowledged with it (issue 15).</summary>
[DbContext(typeof(NegotiationDbContext))]
[Migration("20261206000000_BidSequence")]
public sealed class BidSequence : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<long>(name: "Sequence", table: "Bids", type: "bigint", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "Sequence", table: "Bids");
}
