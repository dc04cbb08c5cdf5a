using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;

namespace NegotiationHub.Server.Persistence;

/// <summary><c>Database:*</c>: which provider, and where.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The SQLite file (default <c>data/negotiationhub.db</c> under the content root).</summary>
    public string? SqlitePath { get; set; }

    /// <summary>
    /// How long a SQLite write waits for another writer (another process on the same file, or a
    /// backup holding a lock) before it fails with "database is busy"; the call then reports a
    /// clear error and nothing is written. Default 30 s.
    /// </summary>
    public int SqliteBusyTimeoutSeconds { get; set; } = DatabaseSetup.DefaultSqliteBusyTimeoutSeconds;

    /// <summary>
    /// SQLite commit durability (ADR 0009): <c>Normal</c> (default) survives a killed process,
    /// <c>Full</c> also a power cut, at a disk sync per write.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>The PostgreSQL connection string (Provider = Postgres).</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>Registers the DbContext for the configured provider.</summary>
public static class PersistenceSetup
{
    public static IHostApplicationBuilder AddNegotiationHubPersistence(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = options.Provider switch
        {
            DatabaseProvider.Sqlite => DatabaseSetup.SqliteConnectionString(
                options.SqlitePath ?? Path.Combine(builder.Environment.ContentRootPath, "data", "negotiationhub.db"),
                options.SqliteBusyTimeoutSeconds),
            _ => options.ConnectionString ?? throw new InvalidOperationException("Database:ConnectionString is required for PostgreSQL."),
        };
        // A pooled factory serves the singleton round service: a bid's context is reset and reused
        // rather than built with its own service scope. Identity and the REST services take a
        // scoped context, rented from the same pool and returned when the request ends.
        builder.Services.AddPooledDbContextFactory<NegotiationDbContext>(o => DatabaseSetup.Configure(o, options.Provider, connectionString, options.SqliteSynchronous));
        builder.Services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<NegotiationDbContext>>().CreateDbContext());
        // The live sessions' writes: prepared statements from the same model, no change tracker (ADR 0020).
        builder.Services.TryAddSingleton<RowWriter>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
