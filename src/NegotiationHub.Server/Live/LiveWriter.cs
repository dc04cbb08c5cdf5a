using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Persistence;

namespace NegotiationHub.Server.Live;

/// <summary>
/// Commits a <see cref="LiveWrite"/> in one transaction (ADR 0012): the session row moved on by
/// the write's messages <b>where its version is still the state's</b> (the safety net against a
/// stale state: another node, a set-up call), the rows, and the audit entries after the state's
/// chain head (unique per chain and sequence). Reads nothing.
/// </summary>
public sealed class LiveWriter(IDbContextFactory<NegotiationDbContext> dbFactory, ILogger<LiveWriter> log)
{
    /// <summary>
    /// The new audit chain head, or null with nothing written when the database refused the write
    /// as stale (the version moved on, or a key is taken: the bid id was used before, the chain grew).
    /// A busy database throws (nothing written; the caller is told to resend).
    /// </summary>
    public async Task<AuditHead?> CommitAsync(LiveState s, LiveWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(write);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = new NegotiationSession { Id = s.Id, Version = s.Version, Sequence = s.Sequence, CurrentRound = s.CurrentRound, State = s.State };
        db.Sessions.Attach(row);
        row.Version = write.Next.Version;
        row.Sequence = write.Next.Sequence;
        row.CurrentRound = write.Next.CurrentRound;
        row.State = write.Next.State;
        if (write.NewRound is { } round)
        {
            db.Rounds.Add(round);
        }

        if (write.NewBid is { } bid)
        {
            db.Bids.Add(bid);
        }

        if (write.Close is { } close)
        {
            var stub = new Round { SessionId = s.Id, Number = close.Round, State = global::NegotiationHub.Contracts.RoundState.Open, Period = close.Period };
            db.Rounds.Attach(stub);
            close.Closing.ApplyTo(stub);
            db.Bids.AddRange(close.Closing.AutoConceded);
            if (close.Closing.Contract is { } contract)
            {
                db.Contracts.Add(contract);
            }
        }

        var chain = AuditChain.ForSession(s.Id);
        var head = s.Head;
        AuditEntry? last = null;
        foreach (var record in write.Audit)
        {
            last = AuditLog.Append(db, chain, head, record.Actor, record.Type, record.Payload, record.Time);
            head = new AuditHead(last.Sequence, last.Hash);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            // The save records the rows it wrote in its last entry, which changes that entry's hash.
            return last is null ? head : new AuditHead(last.Sequence, last.Hash);
        }
        catch (DbUpdateException exception) when (!StoreFailures.IsBusy(exception))
        {
            log.LogDebug(exception, "Session {SessionId}: the live state was stale; deciding again on fresh data", s.Id);
            return null;
        }
    }
}
