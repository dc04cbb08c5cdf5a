using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using Npgsql;

namespace NegotiationHub.Testing;

/// <summary>
/// The database a test server (or a test) runs on, chosen by the environment so the same suites
/// run on both providers (ADR 0008): by default a SQLite file in the test's folder; with
/// <c>NH_TEST_DATABASE=postgres</c> a PostgreSQL database of its own on the server that
/// <c>NH_TEST_POSTGRES</c> names (a connection string without a database). The database belongs
/// to the folder: a server restarted on the same folder finds the same database.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    /// <summary>The environment variable naming the provider: <c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public const string ProviderVariable = "NH_TEST_DATABASE";

    /// <summary>The environment variable holding the PostgreSQL connection string, without a database.</summary>
    public const string PostgresVariable = "NH_TEST_POSTGRES";

    /// <summary>The xunit trait that marks tests about one provider; the PostgreSQL run filters out <c>Database=SqliteOnly</c>.</summary>
    public const string Trait = "Database";

    /// <summary>The value of <see cref="Trait"/> for tests about SQLite itself (its file, WAL, locking).</summary>
    public const string SqliteOnly = "SqliteOnly";

    private const string SqliteFileName = "negotiation.db";

    private TestDatabase(string folder)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
        ConnectionString = Provider switch
        {
            DatabaseProvider.Sqlite => DatabaseSetup.SqliteConnectionString(Path.Combine(Folder, SqliteFileName)),
            _ => new NpgsqlConnectionStringBuilder(PostgresServer) { Database = PostgresDatabaseName(Folder) }.ConnectionString,
        };
    }

    /// <summary>The provider every test database of this run uses.</summary>
    public static DatabaseProvider Provider { get; } = ProviderFromEnvironment();

    /// <summary>The folder the database belongs to (and where a test may put other files).</summary>
    public string Folder { get; }

    /// <summary>The connection string of this database.</summary>
    public string ConnectionString { get; }

    /// <summary>The SQLite file, or null on PostgreSQL.</summary>
    public string? SqlitePath => Provider == DatabaseProvider.Sqlite ? Path.Combine(Folder, SqliteFileName) : null;

    /// <summary>The server configuration (<c>Database:*</c>) that points a server at this database.</summary>
    public IReadOnlyDictionary<string, string?> ServerSettings => Provider switch
    {
        DatabaseProvider.Sqlite => new Dictionary<string, string?> { ["Database:Provider"] = nameof(DatabaseProvider.Sqlite), ["Database:SqlitePath"] = SqlitePath },
        _ => new Dictionary<string, string?> { ["Database:Provider"] = nameof(DatabaseProvider.Postgres), ["Database:ConnectionString"] = ConnectionString },
    };

    private static string PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server
        ? server
        : throw new InvalidOperationException($"{ProviderVariable}=postgres needs {PostgresVariable}, a connection string without a database (bash scripts/postgres.sh start DIR PORT prints one).");

    /// <summary>A database in a new temporary folder. Nothing exists until a server migrates it or a test creates it.</summary>
    public static TestDatabase InNewFolder() => InFolder(Path.Combine(Path.GetTempPath(), "nh-tests", Guid.NewGuid().ToString("N")));

    /// <summary>The database that belongs to <paramref name="folder"/>: the same folder, the same database.</summary>
    public static TestDatabase InFolder(string folder) => new(folder);

    /// <summary>A fresh DbContext on this database, to check what was (not) written or to tamper with it.</summary>
    public NegotiationDbContext CreateContext() =>
        new(DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), Provider, ConnectionString).Options);

    /// <summary>Lets go of pooled connections, so a restarted server starts from what is committed.</summary>
    public void ReleaseConnections()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
        }
        else
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    /// <summary>Drops the database (PostgreSQL; its open connections are closed by force) and deletes the folder.</summary>
    public void Dispose()
    {
        ReleaseConnections();
        if (Provider == DatabaseProvider.Postgres)
        {
            var maintenance = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = "postgres", Pooling = false };
            using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            connection.Open();
            using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{PostgresDatabaseName(Folder)}\" WITH (FORCE)";
            drop.ExecuteNonQuery();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a file still held open by a finalizer is left in /tmp
        }
    }

    /// <summary>A PostgreSQL identifier (at most 63 bytes, lower case) that only this folder maps to.</summary>
    private static string PostgresDatabaseName(string folder)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(folder));
        return "nh_test_" + Convert.ToHexStringLower(hash, 0, 12);
    }

    private static DatabaseProvider ProviderFromEnvironment() =>
        Environment.GetEnvironmentVariable(ProviderVariable)?.Trim().ToUpperInvariant() switch
        {
            null or "" or "SQLITE" => DatabaseProvider.Sqlite,
            "POSTGRES" or "POSTGRESQL" => DatabaseProvider.Postgres,
            var other => throw new InvalidOperationException($"{ProviderVariable}={other}: expected sqlite or postgres."),
        };
}
