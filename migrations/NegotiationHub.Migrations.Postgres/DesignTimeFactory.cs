using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using NegotiationHub.Data;

namespace NegotiationHub.Migrations.Postgres;

/// <summary>
/// How <c>dotnet ef</c> builds the context for this provider (ADR 0013). Adding a migration opens
/// no connection; <c>dotnet ef database update</c> uses NH_POSTGRES, or a local default.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NegotiationDbContext>
{
    public NegotiationDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.Configure(
            new DbContextOptionsBuilder<NegotiationDbContext>(),
            DatabaseProvider.Postgres,
            Environment.GetEnvironmentVariable("NH_POSTGRES") ?? "Host=127.0.0.1;Username=postgres;Database=negotiationhub").Options);
}
