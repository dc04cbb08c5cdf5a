using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;

namespace NegotiationHub.Server.Audit;

/// <summary>
/// <c>NegotiationHub.Server audit-verify --db FILE [--session ID]</c>: verifies the audit chains of a
/// SQLite database file offline (no server), printing one JSON line per chain. Exit code 0 when
/// every chain is intact, 1 when one is broken, 2 on a usage error.
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
        Guid? session = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--db" when i + 1 < args.Length:
                    file = args[++i];
                    break;
                case "--session" when i + 1 < args.Length && Guid.TryParse(args[i + 1], out var id):
                    session = id;
                    i++;
                    break;
                default:
                    await error.WriteLineAsync($"unknown or incomplete argument '{args[i]}'. Usage: {Name} --db FILE [--session ID]");
                    return 2;
            }
        }

        if (file is null || !File.Exists(file))
        {
            await error.WriteLineAsync(file is null ? $"Usage: {Name} --db FILE [--session ID]" : $"no database file at {file}");
            return 2;
        }

        var options = DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Sqlite,
            DatabaseSetup.SqliteConnectionString(file) + ";Mode=ReadOnly").Options;
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

    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);
}
