using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NegotiationHub.Data;

/// <summary>Which database the server uses.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded SQLite file (the default).</summary>
    Sqlite,

    /// <summary>PostgreSQL, for multi-node deployments.</summary>
    Postgres,
}

/// <summary>Configures the DbContext for a provider, with that provider's migrations assembly.</summary>
public static class DatabaseSetup
{
    /// <summary>The assembly holding the SQLite migrations.</summary>
    public const string SqliteMigrationsAssembly = "NegotiationHub.Migrations.Sqlite";

    /// <summary>The assembly holding the PostgreSQL migrations.</summary>
    public const string PostgresMigrationsAssembly = "NegotiationHub.Migrations.Postgres";

    /// <summary>Configures typed <paramref name="options"/> for the provider and connection string.</summary>
    public static DbContextOptionsBuilder<NegotiationDbContext> Configure(DbContextOptionsBuilder<NegotiationDbContext> options, DatabaseProvider provider, string connectionString, SqliteSynchronous synchronous = SqliteSynchronous.Normal)
    {
        Configure((DbContextOptionsBuilder)options, provider, connectionString, synchronous);
        return options;
    }

    /// <summary>Configures <paramref name="options"/> for the provider and connection string.</summary>
    /// <param name="options">The builder.</param>
    /// <param name="provider">The database.</param>
    /// <param name="connectionString">Where it is.</param>
    /// <param name="synchronous">SQLite only: how commits are synced (ADR 0009).</param>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, SqliteSynchronous synchronous = SqliteSynchronous.Normal)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
                options.AddInterceptors(new SqliteConnectionSetup(synchronous));
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }

        // No PendingModelChangesWarning is ignored: each migrations assembly carries the model
        // snapshot dotnet ef wrote with its last migration, so Migrate() refuses a model that
        // moved on without a migration (ADR 0013).
        return options;
    }

    /// <summary>How long a SQLite command waits for another writer's lock before failing with SQLITE_BUSY, by default.</summary>
    public const int DefaultSqliteBusyTimeoutSeconds = 30;

    /// <summary>A SQLite connection string for a file, creating its folder; busy timeout <see cref="DefaultSqliteBusyTimeoutSeconds"/>.</summary>
    public static string SqliteConnectionString(string path) => SqliteConnectionString(path, DefaultSqliteBusyTimeoutSeconds);

    /// <summary>A SQLite connection string for a file, creating its folder.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeoutSeconds">
    /// How long a command waits while another connection holds the write lock (SQLite's busy
    /// handler) before it fails with SQLITE_BUSY; ≥ 1.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="busyTimeoutSeconds"/> is below 1.</exception>
    public static string SqliteConnectionString(string path, int busyTimeoutSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(busyTimeoutSeconds, 1);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = busyTimeoutSeconds,
        }.ToString();
    }

    /// <summary>
    /// Applies migrations, and for SQLite switches the file to WAL (persistent in the file):
    /// readers never block the writer, and a committed transaction survives a killed process.
    /// </summary>
    public static async Task MigrateAsync(NegotiationDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}
