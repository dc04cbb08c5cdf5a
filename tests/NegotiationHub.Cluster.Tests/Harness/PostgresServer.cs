using Npgsql;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>
/// The PostgreSQL the nodes share: <c>NH_TEST_POSTGRES</c> (an Npgsql connection string without a
/// database) when set, else a private server started by <c>scripts/postgres.sh</c> on a free
/// loopback port and stopped on dispose. Each test gets a database of its own, dropped afterwards.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _dataFolder;
    private readonly List<string> _databases = [];

    private PostgresServer(string connectionString, string? dataFolder)
    {
        ConnectionString = connectionString;
        _dataFolder = dataFolder;
    }

    /// <summary>The server's connection string, naming no database.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var shared = Environment.GetEnvironmentVariable("NH_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(shared))
        {
            return new PostgresServer(shared, null);
        }

        // postgres.sh hands the folder to the postgres user, so it lives directly under /tmp.
        var folder = Path.Combine("/tmp", $"nh-postgres-cluster-{Guid.NewGuid():N}");
        var port = Loopback.FreePort();
        var started = await Command.RunAsync("bash", [Repository.Script("postgres.sh"), "start", folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(12));
        var connectionString = started.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (started.ExitCode != 0 || connectionString is null || !connectionString.StartsWith("Host=", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"scripts/postgres.sh start failed ({started.ExitCode}): {started.Error}");
        }

        return new PostgresServer(connectionString, folder);
    }

    /// <summary>A connection string for a new database name (the first server's migrations create it).</summary>
    public string NewDatabase(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _databases)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // best effort
            }
        }

        if (_dataFolder is not null)
        {
            await Command.RunAsync("bash", [Repository.Script("postgres.sh"), "stop", _dataFolder], TimeSpan.FromMinutes(1));
            Loopback.DeleteFolder(_dataFolder);
            File.Delete(_dataFolder + ".initdb.log"); // postgres.sh writes initdb's output beside the folder
        }
    }
}
