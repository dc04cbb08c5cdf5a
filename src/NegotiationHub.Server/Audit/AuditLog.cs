using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Audit;

/// <summary>
/// Appends entries to the audit chain inside the caller's transaction, so an entry exists exactly
/// when the change it records was committed. Session chains are appended under the session's lock;
/// the global chain retries on a sequence collision.
/// </summary>
public static class AuditLog
{
    /// <summary>Adds the next entry of <paramref name="chain"/> to <paramref name="db"/> (saved with the caller's changes).</summary>
    public static async Task<AuditEntry> AppendAsync(NegotiationDbContext db, string chain, string actor, string type, object payload, DateTime utcNow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Entries added earlier in this unit of work are not in the database yet.
        // Added entries are tracked from Add on, so no DetectChanges scan is needed to see them
        // (Entries() would run one over everything the unit of work tracks; SaveChanges runs its own).
        AuditEntry? pending;
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            pending = db.ChangeTracker.Entries<AuditEntry>()
                .Where(e => e.State == EntityState.Added && e.Entity.Chain == chain)
                .Select(e => e.Entity)
                .OrderByDescending(e => e.Sequence)
                .FirstOrDefault();
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }

        var last = pending ?? await db.AuditEntries.AsNoTracking()
            .Where(e => e.Chain == chain)
            .OrderByDescending(e => e.Sequence)
            .FirstOrDefaultAsync(cancellationToken);
        var entry = new AuditEntry
        {
            Chain = chain,
            Sequence = (last?.Sequence ?? 0) + 1,
            TimeUtc = AuditChain.Truncate(utcNow),
            Actor = actor,
            Type = type,
            PayloadJson = AuditChain.CanonicalPayload(payload),
            PreviousHash = last?.Hash ?? AuditChain.Genesis,
        };
        entry.Hash = AuditChain.ComputeHash(entry);
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>Appends to the global chain in its own transaction, retrying if another writer took the sequence.</summary>
    public static async Task AppendGlobalAsync(IDbContextFactory<NegotiationDbContext> factory, string actor, string type, object payload, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(time);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await AppendAsync(db, AuditChain.GlobalChain, actor, type, payload, time.GetDatabaseUtcNow(), cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), cancellationToken);
            }
        }
    }
}

/// <summary>The audit event types (PRODUCT.md capability 6).</summary>
public static class AuditEvents
{
    public const string SessionCreated = "SessionCreated";
    public const string SessionConfigured = "SessionConfigured";
    public const string StrengthsRecorded = "StrengthsRecorded";
    public const string MemberAdded = "MemberAdded";
    public const string SessionOpened = "SessionOpened";
    public const string SessionClosed = "SessionClosed";
    public const string RoundOpened = "RoundOpened";
    public const string BidAccepted = "BidAccepted";
    public const string RoundClosed = "RoundClosed";
    public const string AgreementReached = "AgreementReached";
    public const string ContractRevised = "ContractRevised";
    public const string TangibleSharesSet = "TangibleSharesSet";
    public const string AuditorSignedIn = "AuditorSignedIn";
    public const string UserCreated = "UserCreated";
}
