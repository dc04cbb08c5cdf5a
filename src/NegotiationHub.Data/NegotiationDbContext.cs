using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Data;

/// <summary>The one DbContext: Identity plus every negotiation entity.</summary>
public sealed class NegotiationDbContext(DbContextOptions<NegotiationDbContext> options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<NegotiationSession> Sessions => Set<NegotiationSession>();

    public DbSet<SessionParty> Parties => Set<SessionParty>();

    public DbSet<SessionFactor> Factors => Set<SessionFactor>();

    public DbSet<StrengthReading> StrengthReadings => Set<StrengthReading>();

    public DbSet<SessionMembership> Memberships => Set<SessionMembership>();

    public DbSet<Round> Rounds => Set<Round>();

    public DbSet<Bid> Bids => Set<Bid>();

    public DbSet<Contract> Contracts => Set<Contract>();

    public DbSet<ContractRevisionRecord> ContractRevisions => Set<ContractRevisionRecord>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    /// <inheritdoc />
    /// <remarks>
    /// On SQLite the save runs synchronously on the file's writer thread (<see cref="SqliteWriteGate"/>):
    /// SQLite's I/O is synchronous anyway, and so <c>SavingChanges</c>, not <c>SavingChangesAsync</c>,
    /// is what interceptors see there.
    /// </remarks>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RecordRows();
        return SqliteWriteGate.For(this) is { } gate
            ? gate.RunAsync(() => base.SaveChanges(acceptAllChangesOnSuccess), cancellationToken)
            : base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>On SQLite the save runs on the file's writer thread (<see cref="SqliteWriteGate"/>).</remarks>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RecordRows();
        return SqliteWriteGate.For(this) is { } gate
            ? gate.Run(() => base.SaveChanges(acceptAllChangesOnSuccess))
            : base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// Whether a save records the audited rows it writes in its audit entries (<see cref="Audit.AuditRows"/>).
    /// Off only to import an exported history, whose entries already carry their records.
    /// </summary>
    public bool RecordsAuditedRows { get; set; } = true;

    private void RecordRows()
    {
        if (RecordsAuditedRows)
        {
            Audit.AuditRows.Record(this);
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(NegotiationDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Every DateTime is UTC, to the microsecond on both providers (PostgreSQL keeps no finer);
        // SQLite loses the kind on the way back, so restore it.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}

/// <summary>Stores a DateTime as UTC to the microsecond (<see cref="DatabaseClock"/>) and reads it back as <see cref="DateTimeKind.Utc"/>.</summary>
internal sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => DatabaseClock.ToMicrosecond(v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime()),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
