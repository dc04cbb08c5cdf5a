using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NegotiationHub.Data.Audit;
using NegotiationHub.Testing;

namespace NegotiationHub.Data.Tests;

/// <summary>
/// A database file written by main at 41786a3 — before the migrations were made by dotnet ef
/// (ADR 0013) — holds the demo session run to agreement by the bots: 40 bids, a contract and 68
/// audit entries. The new migrations open it, migrate it and leave its audit chains intact.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public class OldDatabaseTests
{
    private const string Fixture = "main-41786a3.db";

    [Fact]
    public async Task A_file_made_by_the_previous_main_opens_with_nothing_to_migrate_and_its_chains_verify()
    {
        using var database = CopyOfFixture();
        await using var db = database.CreateContext();

        await DatabaseSetup.MigrateAsync(db);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        await AssertContentsAndChainsAsync(db);
    }

    [Fact]
    public async Task Taken_back_to_the_first_migration_and_up_again_the_file_keeps_its_data_and_its_chains_verify()
    {
        using var database = CopyOfFixture();
        await using var db = database.CreateContext();
        await DatabaseSetup.MigrateAsync(db);

        // Down of every later migration (BidSequence drops a column from a table with rows), then Up again.
        await db.GetService<IMigrator>().MigrateAsync("20261122000000_InitialCreate");
        Assert.Equal(db.Database.GetMigrations().Skip(1), await db.Database.GetPendingMigrationsAsync());
        Assert.Contains("20261206000000_BidSequence", await db.Database.GetPendingMigrationsAsync());
        await DatabaseSetup.MigrateAsync(db);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        await AssertContentsAndChainsAsync(db);
        Assert.All(await db.Bids.AsNoTracking().ToListAsync(), b => Assert.Null(b.Sequence));
    }

    private static async Task AssertContentsAndChainsAsync(NegotiationDbContext db)
    {
        Assert.Equal(40, await db.Bids.CountAsync());
        Assert.Equal(1, await db.Contracts.CountAsync());
        Assert.Equal(68, await db.AuditEntries.CountAsync());
        Assert.True(await db.Sessions.AnyAsync());
        Assert.True(await db.Users.AnyAsync(u => u.UserName == "coordinator"));

        var chains = await db.AuditEntries.Select(e => e.Chain).Distinct().ToListAsync();
        Assert.Contains(AuditChain.ForSession(await db.Bids.Select(b => b.SessionId).FirstAsync()), chains);
        foreach (var chain in chains)
        {
            var verification = await AuditVerifier.VerifyAsync(db, chain, CancellationToken.None);
            Assert.True(verification.Valid, $"{chain}: {string.Join("; ", verification.Problems)}");
            Assert.True(verification.Entries > 0);
        }
    }

    private static TestDatabase CopyOfFixture()
    {
        var database = TestDatabase.InNewFolder();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", Fixture), database.SqlitePath!);
        return database;
    }
}
