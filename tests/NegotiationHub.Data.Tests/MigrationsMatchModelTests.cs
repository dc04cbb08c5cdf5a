using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NegotiationHub.Testing;

namespace NegotiationHub.Data.Tests;

/// <summary>
/// The migrations dotnet ef made (ADR 0013) build the schema the model describes, on whichever
/// provider this run uses (<see cref="TestDatabase"/>): the suite runs once on SQLite and once on PostgreSQL.
/// </summary>
public class MigrationsMatchModelTests
{
    [Fact]
    public async Task A_database_built_by_the_migrations_has_the_schema_the_model_creates()
    {
        using var migrated = TestDatabase.InNewFolder();
        using var created = TestDatabase.InNewFolder();
        await using (var db = migrated.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(db);
        }

        await using (var db = created.CreateContext())
        {
            await db.Database.EnsureCreatedAsync();
        }

        Dictionary<string, string> expected, actual;
        await using (var db = created.CreateContext())
        {
            expected = await DatabaseSchema.ReadAsync(db);
        }

        await using (var db = migrated.CreateContext())
        {
            actual = await DatabaseSchema.ReadAsync(db);
        }

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (table, shape) in expected)
        {
            Assert.Equal(shape, actual[table]);
        }
    }

    [Fact]
    public void The_model_snapshot_knows_every_change_to_the_model()
    {
        using var database = TestDatabase.InNewFolder();
        using var db = database.CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            "the model changed without a migration: add one per provider with dotnet ef migrations add (README, ADR 0013)");
    }

    [Fact]
    public async Task Migrating_records_every_migration_and_leaves_none_pending()
    {
        using var database = TestDatabase.InNewFolder();
        await using var db = database.CreateContext();

        await DatabaseSetup.MigrateAsync(db);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Contains("20261122000000_InitialCreate", db.Database.GetMigrations());
    }

    [Fact]
    public async Task Reverting_every_migration_leaves_no_table_of_the_model()
    {
        using var database = TestDatabase.InNewFolder();
        await using var db = database.CreateContext();
        await DatabaseSetup.MigrateAsync(db);

        await db.GetService<IMigrator>().MigrateAsync(Migration.InitialDatabase);

        Assert.Empty(await DatabaseSchema.ReadAsync(db));
        Assert.Empty(await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing()
    {
        using var database = TestDatabase.InNewFolder();
        await using (var db = database.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(db);
        }

        await using var again = database.CreateContext();
        await DatabaseSetup.MigrateAsync(again);

        Assert.Equal(again.Database.GetMigrations(), await again.Database.GetAppliedMigrationsAsync());
    }
}
