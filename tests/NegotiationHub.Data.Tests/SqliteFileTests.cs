using Microsoft.Data.Sqlite;
using NegotiationHub.Testing;

namespace NegotiationHub.Data.Tests;

/// <summary>What is true of the SQLite file itself; the PostgreSQL run leaves these out by their trait.</summary>
[Trait(TestDatabase.Trait, TestDatabase.SqliteOnly)]
public class SqliteFileTests
{
    [Fact]
    public async Task The_sqlite_file_runs_in_wal_mode()
    {
        using var database = TestDatabase.InNewFolder();
        await using (var db = database.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(db);
        }

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
