using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Audit;
using NegotiationHub.Server.Persistence;
using NegotiationHub.Server.Sessions;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Rounds;

/// <summary>
/// The hot path (ADR 0010): a bid, or a round opening, committed from this node's cached state of
/// the session without reading the database. Each method returns null, having written nothing,
/// whenever the cached state would refuse the call or the database refuses the write (the session
/// changed since); the caller then does the work on freshly loaded data, which also decides any
/// refusal. The session's lock is held throughout.
/// </summary>
public sealed partial class RoundService
{
    private async Task<BidAck?> TryBidFromCacheAsync(Caller caller, CachedSession s, BidSubmission bid, CancellationToken cancellationToken)
    {
        if (s.State != Entities.SessionState.Open || s.OpenRound is not { } round || bid.Round != round.Number
            || s.PartyOf(caller) is not { } party
            || round.Bids.Any(b => b.PartyIndex == party || b.BidId == bid.BidId)
            || !(bid.Demand >= s.Disagreements[party] && bid.Demand <= s.Pool))
        {
            return null;
        }

        double[]? proposal;
        try
        {
            proposal = ValidateProposal(bid.Proposal, s.PartyCount, s.Pool);
        }
        catch (ModelValidationException)
        {
            return null;
        }

        var now = time.GetDatabaseUtcNow();
        var entity = NewBid(s.Id, round.Number, party, bid, proposal, caller, now, s.Sequence + 1);
        var bids = round.Bids.Add(new CachedBid(entity.Id, party, entity.Demand));
        AuditEntry entry;
        AllBidClosing? closing = null;
        AuditEntry? closeEntry = null;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // The round's last bid commits with the round's close, in one transaction: the close
            // is what every member waits for, and one write instead of two halves its time in the
            // writer's queue (ADR 0010).
            closing = bids.Length == s.PartyCount ? await TryDecideAllBidAsync(db, s, round, bids, now, cancellationToken) : null;
            var row = AttachAdvanced(db, s, 1 + Messages(closing?.Closing));
            db.Bids.Add(entity);
            entry = AuditLog.Append(db, AuditChain.ForSession(s.Id), s.Head, caller.UserName, AuditEvents.BidAccepted, AcceptedPayload(entity, proposal), now);
            if (closing is not null)
            {
                closeEntry = StageClose(db, row, s.Id, round, closing.Closing, new AuditHead(entry.Sequence, entry.Hash), caller.UserName);
            }

            if (!await TrySaveAsync(db, s.Id, cancellationToken))
            {
                return null;
            }
        }

        // Committed: from here the bid survives a crash.
        var accepted = Accepted(entity, proposal, s.BidMode);
        if (closing is null || closeEntry is null)
        {
            Committed(s, entry, s with { OpenRound = round with { Bids = bids } });
            await hub.Clients.Group(Group(s.Id)).BidAccepted(accepted);
            if (bids.Length == s.PartyCount)
            {
                // Deciding the close failed before anything was written: closed on its own, as on the loading path.
                await CloseAfterLastBidAsync(s.Id, round.Number, caller.UserName, cancellationToken);
            }
        }
        else
        {
            cache.Hit(); // the bid; ClosedFromCache counts the close
            var (closed, agreed) = ClosedFromCache(s, closing, closeEntry, messagesAhead: 1);
            await hub.Clients.Group(Group(s.Id)).BidAccepted(accepted);
            await SendClosedAsync(closing.Closing, closed, agreed);
        }

        return new BidAck { SessionId = s.Id, BidId = bid.BidId, Round = round.Number, PartyIndex = party, Duplicate = false, Sequence = accepted.Sequence };
    }

    /// <summary>
    /// Closes the open round of <paramref name="s"/>, every party of which has bid, from the cached
    /// state and the period's cached problem (loaded once per session and period). False, with
    /// nothing written, if the cached state does not show such a round or the database refuses
    /// the write.
    /// </summary>
    private async Task<bool> TryCloseFromCacheAsync(CachedSession s, string actor, CancellationToken cancellationToken)
    {
        if (s.State != Entities.SessionState.Open || s.OpenRound is not { } round || round.Bids.Length != s.PartyCount)
        {
            return false;
        }

        AllBidClosing closing;
        AuditEntry last;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            closing = await DecideAllBidAsync(db, s, round, round.Bids, time.GetDatabaseUtcNow(), cancellationToken);
            var row = AttachAdvanced(db, s, Messages(closing.Closing));
            last = StageClose(db, row, s.Id, round, closing.Closing, s.Head, actor);
            if (!await TrySaveAsync(db, s.Id, cancellationToken))
            {
                return false;
            }
        }

        var (closed, agreed) = ClosedFromCache(s, closing, last, messagesAhead: 0);
        await SendClosedAsync(closing.Closing, closed, agreed);
        return true;
    }

    /// <summary>What an all-bid close decided, with the period's problem it used.</summary>
    private sealed record AllBidClosing(RoundClosing Closing, PeriodProblem Problem);

    /// <summary>Decides the all-bid close of <paramref name="round"/> with the period's problem (cached, else read once).</summary>
    private async Task<AllBidClosing> DecideAllBidAsync(NegotiationDbContext db, CachedSession s, CachedRound round, IEnumerable<CachedBid> all, DateTime now, CancellationToken cancellationToken)
    {
        var problem = cache.Problem(s.Id, round.Period) ?? await LoadProblemAsync(db, s.Id, round.Period, cancellationToken);
        var bids = new Bid?[s.PartyCount];
        foreach (var b in all)
        {
            bids[b.PartyIndex] = new Bid { Id = b.BidId, SessionId = s.Id, RoundNumber = round.Number, PartyIndex = b.PartyIndex, Demand = b.Demand };
        }

        return new AllBidClosing(
            RoundClosing.Decide(s.Id, round.Number, problem, s.AutoConcessionLambda, bids, new double?[s.PartyCount], RoundCloseReason.AllBid, now),
            problem);
    }

    /// <summary>
    /// The close that the round's last bid commits with, or null if it cannot be decided here (the
    /// period's problem cannot be read, the analysis fails): the bid then commits alone and the
    /// round is closed after it, as on the loading path, so a bid is never refused for its close.
    /// </summary>
    private async Task<AllBidClosing?> TryDecideAllBidAsync(NegotiationDbContext db, CachedSession s, CachedRound round, IEnumerable<CachedBid> bids, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            return await DecideAllBidAsync(db, s, round, bids, now, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            log.LogWarning(exception, "Session {SessionId} round {Round}: the close could not be decided with the last bid; the bid commits alone", s.Id, round.Number);
            return null;
        }
    }

    /// <summary>The messages a close sends: <c>RoundClosed</c>, and <c>AgreementReached</c> with a contract.</summary>
    private static int Messages(RoundClosing? closing) => closing is null ? 0 : closing.Contract is null ? 1 : 2;

    /// <summary>
    /// Adds an all-bid close to <paramref name="db"/>: the round's stub, its columns, the audit
    /// entries after <paramref name="head"/> and, on agreement, the contract and the session's
    /// state on <paramref name="row"/> (attached, its version and sequence already advanced).
    /// Returns the last audit entry it appends.
    /// </summary>
    private static AuditEntry StageClose(NegotiationDbContext db, NegotiationSession row, Guid sessionId, CachedRound round, RoundClosing closing, AuditHead head, string actor)
    {
        var stub = new Round { SessionId = sessionId, Number = round.Number, State = Entities.RoundState.Open, Period = round.Period };
        db.Rounds.Attach(stub);
        closing.ApplyTo(stub);
        var chain = AuditChain.ForSession(sessionId);
        var last = AuditLog.Append(db, chain, head, closing.Actor(actor), AuditEvents.RoundClosed, closing.ClosedPayload, closing.Now);
        if (closing.Contract is { } contract)
        {
            row.State = Entities.SessionState.Agreed;
            db.Contracts.Add(contract);
            last = AuditLog.Append(db, chain, new AuditHead(last.Sequence, last.Hash), closing.Actor(actor), AuditEvents.AgreementReached, closing.AgreedPayload!, closing.Now);
        }

        return last;
    }

    /// <summary>
    /// After a committed close staged from <paramref name="s"/>, whose commit sent
    /// <paramref name="messagesAhead"/> messages before the close's and appended <paramref name="last"/>
    /// last: caches the session between rounds (or forgets it, agreed) and returns the messages to send.
    /// </summary>
    private (RoundClosed Closed, AgreementReached? Agreed) ClosedFromCache(CachedSession s, AllBidClosing closing, AuditEntry last, int messagesAhead)
    {
        var closed = closing.Closing.Closed(s.Sequence + messagesAhead + 1);
        cache.Hit();
        if (closing.Closing.Contract is null)
        {
            cache.SetProblem(s.Id, closing.Problem);
            var next = s with
            {
                Version = s.Version + messagesAhead + 1, Sequence = closed.Sequence, OpenRound = null,
                Head = new AuditHead(last.Sequence, last.Hash),
            };
            cache.Set(next);
            Sent(s.Id, next.Sequence);
            return (closed, null);
        }

        var agreed = closing.Closing.Agreed(closed.Sequence + 1);
        cache.Invalidate(s.Id); // agreed: no more bids or rounds to serve
        Sent(s.Id, agreed.Sequence);
        return (closed, agreed);
    }

    /// <summary>The problem of one period of a session, read without tracking.</summary>
    private static async Task<PeriodProblem> LoadProblemAsync(NegotiationDbContext db, Guid sessionId, int period, CancellationToken cancellationToken)
    {
        var session = await db.Sessions.AsNoTracking()
            .Include(x => x.Parties.OrderBy(p => p.Index))
            .Include(x => x.Factors.OrderBy(f => f.Index))
            .Include(x => x.Strengths.Where(r => r.Period == period))
            .AsSplitQuery()
            .FirstOrDefaultAsync(x => x.Id == sessionId, cancellationToken)
            ?? throw SessionException.NotFound(sessionId);
        return PeriodProblem.Of(session, period);
    }

    private async Task<RoundOpened?> TryOpenFromCacheAsync(Caller caller, CachedSession s, int deadlineSeconds, CancellationToken cancellationToken)
    {
        if (s.State != Entities.SessionState.Open || s.OpenRound is not null || !SessionService.Coordinates(caller, s.CreatedById, s.Members))
        {
            return null;
        }

        var now = time.GetDatabaseUtcNow();
        var round = NewRound(s.Id, s.CurrentRound + 1, s.CurrentPeriod, now, deadlineSeconds);
        AuditEntry entry;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            AttachAdvanced(db, s).CurrentRound = round.Number;
            db.Rounds.Add(round);
            entry = AuditLog.Append(db, AuditChain.ForSession(s.Id), s.Head, caller.UserName, AuditEvents.RoundOpened, OpenedPayload(round), now);
            if (!await TrySaveAsync(db, s.Id, cancellationToken))
            {
                return null;
            }
        }

        var next = Committed(s, entry, s with { CurrentRound = round.Number, OpenRound = new CachedRound(round.Number, round.Period, []) });
        var message = Opened(round, next.Sequence);
        await hub.Clients.Group(Group(s.Id)).RoundOpened(message);
        return message;
    }

    /// <summary>
    /// After a commit from <paramref name="s"/> that sent one message and appended
    /// <paramref name="entry"/>: caches <paramref name="changed"/> one version and one sequence
    /// number on, with the new chain head.
    /// </summary>
    private CachedSession Committed(CachedSession s, AuditEntry entry, CachedSession changed)
    {
        var next = changed with { Version = s.Version + 1, Sequence = s.Sequence + 1, Head = new AuditHead(entry.Sequence, entry.Hash) };
        cache.Set(next);
        cache.Hit();
        Sent(s.Id, next.Sequence);
        return next;
    }

    /// <summary>
    /// Tracks the session row as the cached state has it and advances its version and sequence by
    /// the number of messages the write sends: the save updates it only where the row still has
    /// the cached version.
    /// </summary>
    private static NegotiationSession AttachAdvanced(NegotiationDbContext db, CachedSession s, int messages = 1)
    {
        var row = new NegotiationSession { Id = s.Id, Version = s.Version, Sequence = s.Sequence, CurrentRound = s.CurrentRound, State = s.State };
        db.Sessions.Attach(row);
        row.Version += messages;
        row.Sequence += messages;
        return row;
    }

    /// <summary>
    /// Saves a write made from the cached state. False, with nothing written and the cached state
    /// dropped, if the database refused it: the session's version moved on (another node, or a
    /// change this node's cache missed), or a key is taken (the bid id was used in an earlier round,
    /// the audit chain grew). A busy database is not a stale cache: that failure is the caller's.
    /// </summary>
    private async Task<bool> TrySaveAsync(NegotiationDbContext db, Guid sessionId, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException exception) when (!StoreFailures.IsBusy(exception))
        {
            cache.Invalidate(sessionId);
            cache.Refused();
            log.LogDebug(exception, "Session {SessionId}: the cached state was stale; redoing the call on fresh data", sessionId);
            return false;
        }
    }

    /// <summary>Caches the state a successful write of the loading path committed (its audit entries still tracked).</summary>
    private void Remember(NegotiationDbContext db, NegotiationSession session)
    {
        if (session.State == Entities.SessionState.Open && AuditLog.TrackedHead(db, AuditChain.ForSession(session.Id)) is { } head)
        {
            cache.Set(CachedSession.From(session, head));
        }
        else
        {
            cache.Invalidate(session.Id);
        }
    }
}
