using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using Npgsql;

namespace NegotiationHub.Server.Audit;

/// <summary>
/// <c>NegotiationHub.Server audit-verify --db FILE | --postgres CONNECTION | --export HISTORY.json
/// [--session ID] [--digest DIGEST.json]</c>: verifies the audit chains of a SQLite database file, a
/// PostgreSQL database or an exported history offline (no server, read-only), printing one JSON line
/// per chain; with <c>--digest</c>, also that the chain still holds a digest kept earlier (the JSON of
/// <c>GET /api/audit/digest</c>, or an earlier export), naming the first entry that differs. Exit
/// code 0 when every chain is intact, 1 when one is broken, 2 on a usage error.
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
        string? digestFile = null;
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
                case "--digest" when i + 1 < args.Length:
                    digestFile = args[++i];
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

        KeptDigest? kept = null;
        if (digestFile is not null)
        {
            (kept, var problem) = await ReadDigestAsync(digestFile);
            if (kept is null)
            {
                await error.WriteLineAsync(problem);
                return 2;
            }
        }

        if (exportFile is not null)
        {
            return await VerifyExportAsync(exportFile, output, error, kept);
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
            : kept?.Chain is { Length: > 0 } keptChain ? [keptChain]
            : await db.AuditEntries.AsNoTracking().Select(e => e.Chain).Distinct().OrderBy(c => c).ToListAsync();
        var allValid = true;
        foreach (var chain in chains)
        {
            var result = await AuditVerifier.VerifyAsync(db, chain, CancellationToken.None);
            if (kept is not null)
            {
                result = result.With(await AuditDigests.CheckAsync(db, chain, kept, CancellationToken.None));
            }

            allValid &= result.Valid;
            await output.WriteLineAsync(JsonSerializer.Serialize(result, SerializerOptions));
        }

        return allValid ? 0 : 1;
    }

    private const string Usage = "Usage: " + Name + " --db FILE | --postgres CONNECTION | --export HISTORY.json [--session ID] [--digest DIGEST.json]";

    /// <summary>
    /// A kept digest from a file: the JSON of <c>GET /api/audit/digest</c> (chain, sequence, hash and
    /// every entry's hash), or an earlier history export (its entries' hashes).
    /// </summary>
    private static async Task<(KeptDigest? Digest, string Problem)> ReadDigestAsync(string file)
    {
        if (!File.Exists(file))
        {
            return (null, $"no digest file at {file}");
        }

        try
        {
            await using var stream = File.OpenRead(file);
            using var document = await JsonDocument.ParseAsync(stream);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("auditEntries", out _))
            {
                var export = root.Deserialize<HistoryExport>(HistoryApi.SessionHistoryJson)!;
                var hashes = export.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.Hash).ToList();
                return hashes.Count == 0
                    ? (null, $"{file} is an export with no audit entries")
                    : (new KeptDigest(AuditChain.ForSession(export.Session.Id), hashes.Count, hashes[^1], hashes), "");
            }

            var digest = root.Deserialize<KeptDigest>(SerializerOptions);
            return digest is null || ((digest.Hashes is null || digest.Hashes.Count == 0) && (digest.Sequence < 1 || string.IsNullOrWhiteSpace(digest.Hash)))
                ? (null, $"{file} is not a digest: it needs a sequence ≥ 1 and a hash, or hashes (the JSON of GET /api/audit/digest)")
                : (digest, "");
        }
        catch (JsonException exception)
        {
            return (null, $"{file} is not a digest: {exception.Message}");
        }
    }

    /// <summary>Imports a JSON export into a fresh temporary database and verifies it there.</summary>
    public static async Task<int> VerifyExportAsync(string exportFile, TextWriter output, TextWriter error, KeptDigest? kept = null)
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
            var chain = AuditChain.ForSession(export.Session.Id);
            // Exports made before memberships were exported cannot show them.
            var result = await AuditVerifier.VerifyAsync(db, chain, CancellationToken.None, export.Members is null ? new HashSet<string> { "memberships" } : null);
            if (kept is not null)
            {
                result = result.With(await AuditDigests.CheckAsync(db, chain, kept, CancellationToken.None));
            }

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
