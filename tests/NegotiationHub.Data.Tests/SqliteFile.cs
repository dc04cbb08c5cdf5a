using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace NegotiationHub.Data.Tests;

/// <summary>A real SQLite database file in a temporary folder, deleted afterwards.</summary>
public sealed class SqliteFile : IDisposable
{
    public SqliteFile()
    {
        Folder = Path.Combine(Path.GetTempPath(), "nh-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Path_ = System.IO.Path.Combine(Folder, "negotiation.db");
        ConnectionString = DatabaseSetup.SqliteConnectionString(Path_);
    }

    public string Folder { get; }

    public string Path_ { get; }

    public string ConnectionString { get; }

    public NegotiationDbContext CreateContext() =>
        new(DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Sqlite, ConnectionString).Options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a file still open by a finalizer-held handle is left in /tmp
        }
    }
}
