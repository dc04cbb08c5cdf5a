using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace NegotiationHub.Data.Tests;

/// <summary>
/// A database's schema read back from its own catalog, table by table, so that two databases can be
/// compared: each table maps to a normalized text of its columns (sorted: their order is not part of
/// the schema), keys, indexes and foreign keys. The one place where the catalog SQL differs by provider.
/// </summary>
internal static class DatabaseSchema
{
    /// <summary>Table → description, leaving out EF's own tables (migrations history and lock).</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(NegotiationDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            var connection = db.Database.GetDbConnection();
            var schema = db.Database.IsSqlite() ? await SqliteAsync(connection) : await PostgresAsync(connection);
            return schema.Where(t => !t.Key.StartsWith("__EFMigrations", StringComparison.Ordinal)).ToDictionary();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<Dictionary<string, string>> SqliteAsync(DbConnection connection)
    {
        var result = new Dictionary<string, string>();
        foreach (var table in await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0)))
        {
            var columns = await QueryAsync(connection, $"PRAGMA table_info(\"{table}\")",
                r => $"{r.GetString(1)} {r.GetString(2)} notnull={r.GetInt64(3)} pk={r.GetInt64(5)} default={(r.IsDBNull(4) ? "" : r.GetString(4))}");
            var indexes = new List<string>();
            foreach (var (name, unique) in await QueryAsync(connection, $"PRAGMA index_list(\"{table}\")", r => (r.GetString(1), r.GetInt64(2))))
            {
                var indexColumns = await QueryAsync(connection, $"PRAGMA index_info(\"{name}\")", r => r.GetString(2));
                indexes.Add($"index {name} unique={unique} ({string.Join(',', indexColumns)})");
            }

            var keys = await QueryAsync(connection, $"PRAGMA foreign_key_list(\"{table}\")",
                r => $"fk {r.GetString(3)} -> {r.GetString(2)}.{r.GetString(4)} on delete {r.GetString(6)}");
            result[table] = Describe(columns, indexes, keys);
        }

        return result;
    }

    private static async Task<Dictionary<string, string>> PostgresAsync(DbConnection connection)
    {
        var result = new Dictionary<string, string>();
        var tables = await QueryAsync(connection,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", r => r.GetString(0));
        foreach (var table in tables)
        {
            var columns = await QueryAsync(connection, $"""
                SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                       || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '') || ' identity=' || coalesce(identity_generation, '')
                FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}'
                """, r => r.GetString(0));
            // Primary keys, foreign keys (with their delete rule) and unique constraints, as PostgreSQL itself prints them.
            var constraints = await QueryAsync(connection,
                $"SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '\"{table}\"'::regclass", r => r.GetString(0));
            var indexes = await QueryAsync(connection,
                $"SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '{table}'", r => r.GetString(0));
            result[table] = Describe(columns, indexes, constraints);
        }

        return result;
    }

    private static string Describe(IEnumerable<string> columns, IEnumerable<string> indexes, IEnumerable<string> keys) =>
        string.Join('\n', columns.Order().Concat(indexes.Order()).Concat(keys.Order()));

    private static async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<T>();
        while (await reader.ReadAsync())
        {
            list.Add(read(reader));
        }

        return list;
    }
}
