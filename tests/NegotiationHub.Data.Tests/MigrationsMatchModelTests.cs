using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NegotiationHub.Data.Tests;

public class MigrationsMatchModelTests
{
    [Fact]
    public async Task A_database_built_by_the_migrations_has_the_schema_the_model_creates()
    {
        using var migrated = new SqliteFile();
        using var created = new SqliteFile();
        await using (var db = migrated.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(db);
        }

        await using (var db = created.CreateContext())
        {
            await db.Database.EnsureCreatedAsync();
        }

        var expected = Schema(created.ConnectionString);
        var actual = Schema(migrated.ConnectionString);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Where(t => !t.StartsWith("__EFMigrations", StringComparison.Ordinal)).Order());
        foreach (var (table, shape) in expected)
        {
            Assert.Equal(shape, actual[table]);
        }
    }

    [Fact]
    public async Task Migrating_records_every_migration_and_leaves_none_pending()
    {
        using var file = new SqliteFile();
        await using var db = file.CreateContext();

        await DatabaseSetup.MigrateAsync(db);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Contains("20261122000000_InitialCreate", db.Database.GetMigrations());
    }

    [Fact]
    public async Task The_sqlite_file_runs_in_wal_mode()
    {
        using var file = new SqliteFile();
        await using (var db = file.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(db);
        }

        await using var connection = new SqliteConnection(file.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public void The_postgres_migrations_cover_every_table_of_the_model()
    {
        var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Postgres, "Host=localhost").Options;
        using var db = new NegotiationDbContext(options);
        var migration = Assert.Single(db.Database.GetMigrations());
        var source = File.ReadAllText(Path.Combine(RepoRoot(), "migrations", "NegotiationHub.Migrations.Postgres", $"{migration}.cs"));

        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            Assert.Contains($"CREATE TABLE \"\"{table.Name}\"\"", source);
            foreach (var column in table.Columns)
            {
                Assert.Contains($"\"\"{column.Name}\"\" {column.StoreType}", source);
            }
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NegotiationHub.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>Table → normalized description of its columns, indexes and foreign keys.</summary>
    private static Dictionary<string, string> Schema(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0));
        var result = new Dictionary<string, string>();
        foreach (var table in tables)
        {
            var columns = Query(connection, $"PRAGMA table_info(\"{table}\")",
                r => $"{r.GetString(1)} {r.GetString(2)} notnull={r.GetInt64(3)} pk={r.GetInt64(5)} default={(r.IsDBNull(4) ? "" : r.GetString(4))}");
            var indexes = Query(connection, $"PRAGMA index_list(\"{table}\")", r => (Name: r.GetString(1), Unique: r.GetInt64(2)))
                .Select(i => $"index {i.Name} unique={i.Unique} ({string.Join(',', Query(connection, $"PRAGMA index_info(\"{i.Name}\")", r => r.GetString(2)))})")
                .Order();
            var keys = Query(connection, $"PRAGMA foreign_key_list(\"{table}\")",
                r => $"fk {r.GetString(3)} -> {r.GetString(2)}.{r.GetString(4)} on delete {r.GetString(6)}").Order();
            result[table] = string.Join('\n', columns.Concat(indexes).Concat(keys));
        }

        return result;
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(read(reader));
        }

        return list;
    }
}
