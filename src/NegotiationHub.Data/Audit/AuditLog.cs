using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Data.Audit;

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
        var head = TrackedHead(db, chain, pendingOnly: true) ?? await HeadAsync(db, chain, cancellationToken);
        return Append(db, chain, head, actor, type, payload, utcNow);
    }

    /// <summary>
    /// Adds the entry after <paramref name="head"/> of <paramref name="chain"/> to <paramref name="db"/>.
    /// If the head is not the chain's last entry any more, the save fails on the unique
    /// (chain, sequence) index and nothing is written.
    /// </summary>
    public static AuditEntry Append(NegotiationDbContext db, string chain, AuditHead head, string actor, string type, object payload, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entry = Next(chain, head, actor, type, payload, utcNow);
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>
    /// The entry after <paramref name="head"/> of <paramref name="chain"/> for a write to add
    /// (<see cref="RowWriter"/>), hashed — or, with <paramref name="hash"/> false, left for the
    /// write to hash once it has recorded its rows in it (the chain's last entry of the write).
    /// </summary>
    public static AuditEntry Next(string chain, AuditHead head, string actor, string type, object payload, DateTime utcNow, bool hash = true)
    {
        var entry = new AuditEntry
        {
            Chain = chain,
            Sequence = head.Sequence + 1,
            TimeUtc = AuditChain.Truncate(utcNow),
            Actor = actor,
            Type = type,
            PayloadJson = AuditChain.CanonicalPayload(payload),
            PreviousHash = head.Hash,
        };
        if (hash)
        {
            entry.Hash = AuditChain.ComputeHashOfCanonical(entry);
        }

        return entry;
    }

    /// <summary>The last stored entry of <paramref name="chain"/> (<see cref="AuditHead.Genesis"/> for an empty chain).</summary>
    public static async Task<AuditHead> HeadAsync(NegotiationDbContext db, string chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var last = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Chain == chain)
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash })
            .FirstOrDefaultAsync(cancellationToken);
        return last is null ? AuditHead.Genesis : new AuditHead(last.Sequence, last.Hash);
    }

    /// <summary>
    /// The latest entry of <paramref name="chain"/> that <paramref name="db"/> tracks, or null:
    /// added and not yet saved (<paramref name="pendingOnly"/>), or also saved by this unit of work.
    /// </summary>
    public static AuditHead? TrackedHead(NegotiationDbContext db, string chain, bool pendingOnly = false)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Tracked from Add on, so no DetectChanges scan is needed to see them (Entries() would run
        // one over everything the unit of work tracks; SaveChanges runs its own).
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var last = db.ChangeTracker.Entries<AuditEntry>()
                .Where(e => e.Entity.Chain == chain && (e.State == EntityState.Added || (!pendingOnly && e.State == EntityState.Unchanged)))
                .Select(e => e.Entity)
                .MaxBy(e => e.Sequence);
            return last is null ? null : new AuditHead(last.Sequence, last.Hash);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// Appends to the global chain in its own transaction, with whatever <paramref name="alongside"/>
    /// adds to the same save (a role grant and its entry commit together or not at all), retrying if
    /// another writer took the sequence.
    /// </summary>
    public static async Task AppendGlobalAsync(IDbContextFactory<NegotiationDbContext> factory, string actor, string type, object payload, TimeProvider time, CancellationToken cancellationToken, Func<NegotiationDbContext, Task>? alongside = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(time);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (alongside is not null)
            {
                await alongside(db);
            }

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

/// <summary>The last entry of an audit chain: what the next entry's sequence and previous hash follow.</summary>
public readonly record struct AuditHead(long Sequence, string Hash)
{
    /// <summary>Before the first entry.</summary>
    public static AuditHead Genesis => new(0, AuditChain.Genesis);
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
    public const string RoleGranted = "RoleGranted";
    public const string RoleRevoked = "RoleRevoked";
    public const string UserDisabled = "UserDisabled";
    public const string UserEnabled = "UserEnabled";
    public const string PasswordChanged = "PasswordChanged";
    public const string PasswordReset = "PasswordReset";
    public const string InvitationsCreated = "InvitationsCreated";
    public const string InvitationRevoked = "InvitationRevoked";
    public const string InvitationAccepted = "InvitationAccepted";
    public const string TwoFactorEnabled = "TwoFactorEnabled";
    public const string TwoFactorDisabled = "TwoFactorDisabled";

    /// <summary>Role grants made before grants were audited, recorded once by the first start that audits them.</summary>
    public const string RolesAdopted = "RolesAdopted";
}
