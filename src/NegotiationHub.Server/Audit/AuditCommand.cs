using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using Npgsql;

namespace NegotiationHub.Server.Audit;

/// <summary>
/// <c>NegotiationHub.Server audit-verify --db FILE | --postgres CONNECTION [--session ID]</c>: verifies
/// the audit chains of a SQLite database file or a PostgreSQL database offline (no server, read-only),
/// printing one JSON line per chain. Exit code 0 when every chain is intact, 1 when one is broken,
/// 2 on a usage error.
/// </summary>
public static class AuditCommand
{
    public const string Name = "audit-verify";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? file = null;
        string? postgres = null;
        string? exportFile = null;
        Guid? session = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--db" when i + 1 < args.Length:
                    file = args[++i];
                    break;
                case "--postgres" when i + 1 < args.Length:
                    postgres = args[++i];
                    break;
                case "--export" when i + 1 < args.Length:
                    exportFile = args[++i];
                    break;
                case "--session" when i + 1 < args.Length && Guid.TryParse(args[i + 1], out var id):
                    session = id;
                    i++;
                    break;
                default:
                    await error.WriteLineAsync($"unknown or incomplete argument '{args[i]}'. {Usage}");
                    return 2;
            }
        }

        if (exportFile is not null)
        {
            return await VerifyExportAsync(exportFile, output, error);
        }

        if ((file is null) == (postgres is null))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        if (file is not null && !File.Exists(file))
        {
            await error.WriteLineAsync($"no database file at {file}");
            return 2;
        }

        // Read-only either way: verifying must not be able to change what it verifies.
        DbContextOptions<NegotiationDbContext> options;
        try
        {
            options = file is not null
                ? DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Sqlite,
                    DatabaseSetup.SqliteConnectionString(file) + ";Mode=ReadOnly").Options
                : DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Postgres,
                    new NpgsqlConnectionStringBuilder(postgres) { Options = "-c default_transaction_read_only=on" }.ConnectionString).Options;
        }
        catch (ArgumentException exception)
        {
            await error.WriteLineAsync($"not a PostgreSQL connection string: {exception.Message}");
            return 2;
        }

        await using var db = new NegotiationDbContext(options);
        var chains = session is { } s
            ? [AuditChain.ForSession(s)]
            : await db.AuditEntries.AsNoTracking().Select(e => e.Chain).Distinct().OrderBy(c => c).ToListAsync();
        var allValid = true;
        foreach (var chain in chains)
        {
            var result = await AuditVerifier.VerifyAsync(db, chain, CancellationToken.None);
            allValid &= result.Valid;
            await output.WriteLineAsync(JsonSerializer.Serialize(result, SerializerOptions));
        }

        return allValid ? 0 : 1;
    }

    private const string Usage = "Usage: " + Name + " --db FILE [--session ID] | " + Name + " --postgres CONNECTION [--session ID] | " + Name + " --export HISTORY.json";

    /// <summary>Imports a JSON export into a fresh temporary database and verifies it there.</summary>
    public static async Task<int> VerifyExportAsync(string exportFile, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!File.Exists(exportFile))
        {
            await error.WriteLineAsync($"no export file at {exportFile}");
            return 2;
        }

        HistoryExport? export;
        try
        {
            await using var stream = File.OpenRead(exportFile);
            export = await JsonSerializer.DeserializeAsync<HistoryExport>(stream, HistoryApi.SessionHistoryJson);
        }
        catch (JsonException exception)
        {
            await error.WriteLineAsync($"{exportFile} is not a NegotiationHub history export: {exception.Message}");
            return 2;
        }

        if (export is null)
        {
            await error.WriteLineAsync($"{exportFile} is empty");
            return 2;
        }

        var folder = Path.Combine(Path.GetTempPath(), "nh-verify-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Sqlite,
                DatabaseSetup.SqliteConnectionString(Path.Combine(folder, "verify.db"))).Options;
            await using var db = new NegotiationDbContext(options);
            await DatabaseSetup.MigrateAsync(db);
            await export.ImportAsync(db, CancellationToken.None);
            var result = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(export.Session.Id), CancellationToken.None);
            await output.WriteLineAsync(JsonSerializer.Serialize(result, SerializerOptions));
            return result.Valid ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);
}
