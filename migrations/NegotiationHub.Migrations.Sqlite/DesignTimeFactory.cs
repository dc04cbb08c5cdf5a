using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using NegotiationHub.Data;

namespace NegotiationHub.Migrations.Sqlite;

/// <summary>
/// How <c>dotnet ef</c> builds the context for this provider (ADR 0013). It only needs the model
/// and the provider; <c>dotnet ef database update</c> would use the file named here.
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NegotiationDbContext>
{
    public NegotiationDbContext CreateDbContext(string[] args) =>
        new(DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), DatabaseProvider.Sqlite, "Data Source=design-time.db").Options);
}
