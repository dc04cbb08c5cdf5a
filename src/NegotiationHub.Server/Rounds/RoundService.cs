using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Audit;
using NegotiationHub.Server.Sessions;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Rounds;

/// <summary>
/// Rounds and bids (MODEL §4): open, bid, close (all bid, deadline or coordinator), analyse,
/// agree. Each operation runs under the session's lock, commits, and only then acknowledges and
/// broadcasts, so an acknowledged bid is durable and messages leave in sequence order. Bids and
/// round openings are first tried from the cached state of the session (ADR 0010,
/// <c>RoundService.Cached.cs</c>); what that cannot do is done here on freshly loaded data.
/// </summary>
public sealed partial class RoundService(
    IDbContextFactory<NegotiationDbContext> dbFactory,
    SessionLocks locks,
    SessionStateCache cache,
    IHubContext<NegotiationSessionHub, INegotiationClient> hub,
    TimeProvider time,
    ILogger<RoundService> log)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, long> _lastSequence = new();

    /// <summary>The last sequence number this node sent for a session (0 if none yet).</summary>
    public long LastSequence(Guid sessionId) => _lastSequence.GetValueOrDefault(sessionId);

    /// <summary>Notes a sequence number another service committed and sent for a session (presence repeats the latest).</summary>
    public void Sent(Guid sessionId, long sequence) =>
        _lastSequence.AddOrUpdate(sessionId, sequence, (_, last) => Math.Max(last, sequence));

    /// <summary>The SignalR group of a session's connections.</summary>
    public static string Group(Guid sessionId) => $"session:{sessionId:N}";

    /// <summary>Sessions whose round's last bid committed but whose close did not (the live session retries it).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> _failedCloses = new();

    /// <summary>Whether the last bid of this session's round committed without its close since the last ask (and forgets it).</summary>
    public bool TakeFailedClose(Guid sessionId) => _failedCloses.TryRemove(sessionId, out _);

    public async Task<SessionSnapshot> SnapshotAsync(Caller caller, Guid sessionId, IReadOnlyList<MemberPresence> online, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await LoadAsync(db, sessionId, cancellationToken);
        if (!SessionService.CanRead(caller, session))
        {
            throw SessionException.NotFound(sessionId);
        }

        _lastSequence[sessionId] = session.Sequence;
        if (session.State == Entities.SessionState.Open)
        {
            // Whoever joins is about to bid or open a round: seed the cached state (ADR 0010) so
            // that needs no load. Read outside the session's lock, it may be older than a write
            // cached meanwhile (the cache keeps the higher version) or stale (the write refuses it).
            cache.Set(CachedSession.From(session, await AuditLog.HeadAsync(db, AuditChain.ForSession(sessionId), cancellationToken)));
            cache.SetProblem(sessionId, PeriodProblem.Of(session, session.CurrentPeriod));
        }

        return await SessionMessages.SnapshotAsync(db, session, caller, online, time.GetUtcNow(), cancellationToken);
    }

    public async Task<RoundOpened> OpenRoundAsync(Caller caller, Guid sessionId, int deadlineSeconds, CancellationToken cancellationToken)
    {
        if (deadlineSeconds is < SessionSetup.MinDeadlineSeconds or > SessionSetup.MaxDeadlineSeconds)
        {
            throw new ModelValidationException("deadlineSeconds", $"must lie in [{SessionSetup.MinDeadlineSeconds}, {SessionSetup.MaxDeadlineSeconds}]");
        }

        using var _ = await locks.AcquireAsync(sessionId, cancellationToken);
        if (cache.Get(sessionId) is { } cached && await TryOpenFromCacheAsync(caller, cached, deadlineSeconds, cancellationToken) is { } opened)
        {
            return opened;
        }

        cache.Miss();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await LoadForCallerAsync(db, caller, sessionId, cancellationToken);
        SessionService.RequireCoordinator(caller, session);
        if (session.State != Entities.SessionState.Open)
        {
            throw SessionException.Conflict(session.State == Entities.SessionState.Draft
                ? "Open the session before its first round."
                : $"The session is {session.State}; no more rounds.");
        }

        if (session.Rounds.Any(r => r.State == Entities.RoundState.Open))
        {
            throw SessionException.Conflict($"Round {session.CurrentRound} is still open.");
        }

        var now = time.GetDatabaseUtcNow();
        var round = NewRound(sessionId, session.CurrentRound + 1, session.CurrentPeriod, now, deadlineSeconds);
        db.Rounds.Add(round);
        session.CurrentRound = round.Number;
        await AuditLog.AppendAsync(db, AuditChain.ForSession(sessionId), caller.UserName, AuditEvents.RoundOpened, OpenedPayload(round), now, cancellationToken);
        var message = Opened(round, NextSequence(session));
        await db.SaveChangesAsync(cancellationToken);
        Remember(db, session);
        await hub.Clients.Group(Group(sessionId)).RoundOpened(message);
        return message;
    }

    public async Task<BidAck> SubmitBidAsync(Caller caller, Guid sessionId, BidSubmission? bid, CancellationToken cancellationToken)
    {
        if (bid is null)
        {
            throw new ModelValidationException("bid", "is required");
        }

        if (bid.BidId == Guid.Empty)
        {
            throw new ModelValidationException("bidId", "must be a non-empty GUID chosen by the client");
        }

        Guard.Finite(bid.Demand, "demand");

        using var _ = await locks.AcquireAsync(sessionId, cancellationToken);
        if (cache.Get(sessionId) is { } cached && await TryBidFromCacheAsync(caller, cached, bid, cancellationToken) is { } fast)
        {
            return fast;
        }

        cache.Miss();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = Readable(caller, await LoadOpenRoundAsync(db, sessionId, cancellationToken));
        var membership = session.Members.FirstOrDefault(m => m.UserId == caller.UserId && m.Role == SessionRole.Member && m.PartyIndex is not null)
            ?? throw SessionException.Forbidden("Only members of a party bid in this session.");
        var party = membership.PartyIndex!.Value;

        var existing = await db.Bids.AsNoTracking().FirstOrDefaultAsync(b => b.Id == bid.BidId, cancellationToken);
        if (existing is not null)
        {
            if (existing.SessionId != sessionId || existing.PartyIndex != party)
            {
                throw new ModelValidationException("bidId", "is already used by another bid");
            }

            // Idempotent: the same bid again has no second effect, and is acknowledged as it was the
            // first time. Bids stored before their sequence was kept (2026-12-06) fall back to the session's.
            return new BidAck { SessionId = sessionId, BidId = bid.BidId, Round = existing.RoundNumber, PartyIndex = party, Duplicate = true, Sequence = existing.Sequence ?? session.Sequence };
        }

        if (session.State != Entities.SessionState.Open)
        {
            throw SessionException.Conflict($"The session is {session.State}; bids are closed.");
        }

        var round = session.Rounds.FirstOrDefault(r => r.State == Entities.RoundState.Open)
            ?? throw SessionException.Conflict("No round is open.");
        if (bid.Round != round.Number)
        {
            throw new ModelValidationException("round", $"must be the open round {round.Number}");
        }

        if (round.Bids.Any(b => b.PartyIndex == party))
        {
            throw SessionException.Conflict($"Your party has already bid in round {round.Number}.");
        }

        var partyEntity = session.Parties[party];
        Guard.InRange(bid.Demand, "demand", partyEntity.Disagreement, session.Pool);
        var proposal = ValidateProposal(bid.Proposal, session.Parties.Count, session.Pool);

        var entity = NewBid(sessionId, round.Number, party, bid, proposal, caller, time.GetDatabaseUtcNow(), NextSequence(session));
        round.Bids.Add(entity); // tracked through the round (adding to db.Bids too would list it twice by fix-up)
        var accepted = Accepted(entity, proposal, session.BidMode);
        await AuditLog.AppendAsync(db, AuditChain.ForSession(sessionId), caller.UserName, AuditEvents.BidAccepted, AcceptedPayload(entity, proposal), entity.SubmittedUtc, cancellationToken);
        await db.SaveChangesAsync(cancellationToken); // committed: from here the bid survives a crash
        Remember(db, session);
        var ack = new BidAck { SessionId = sessionId, BidId = bid.BidId, Round = round.Number, PartyIndex = party, Duplicate = false, Sequence = accepted.Sequence };
        await hub.Clients.Group(Group(sessionId)).BidAccepted(accepted);
        if (round.Bids.Count == session.Parties.Count)
        {
            await CloseAfterLastBidAsync(sessionId, round.Number, caller.UserName, cancellationToken);
        }

        return ack;
    }

    /// <summary>
    /// Closes a round whose last bid was just committed: from the cached state if it can
    /// (<see cref="TryCloseFromCacheAsync"/>), else on freshly loaded data. A failure leaves the
    /// close to the live session's timer, and the bid acknowledged.
    /// </summary>
    private async Task CloseAfterLastBidAsync(Guid sessionId, int roundNumber, string actor, CancellationToken cancellationToken)
    {
        try
        {
            if (cache.Get(sessionId) is { OpenRound.Number: var open } cached && open == roundNumber && await TryCloseFromCacheAsync(cached, actor, cancellationToken))
            {
                return;
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var session = await LoadAsync(db, sessionId, cancellationToken);
            if (session.Rounds.FirstOrDefault(r => r.Number == roundNumber && r.State == Entities.RoundState.Open) is { } round
                && round.Bids.Count == session.Parties.Count)
            {
                await CloseAsync(db, session, round, RoundCloseReason.AllBid, actor, cancellationToken);
            }
            else
            {
                cache.Invalidate(sessionId); // changed meanwhile by another node: its close is its own
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The bid is committed, so the caller must get its ack, not an error that says
            // nothing was written. The close rolled back whole (a busy database, another node
            // closed first, a lost connection); the live session's timer closes a round whose
            // parties have all bid shortly (LiveSessionGrain.RetryInterval).
            cache.Invalidate(sessionId);
            _failedCloses[sessionId] = 0;
            log.LogWarning(exception, "Session {SessionId} round {Round}: every party has bid but closing failed; the live session retries it", sessionId, roundNumber);
        }
    }

    public async Task<RoundClosed> CloseRoundAsync(Caller caller, Guid sessionId, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(sessionId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await LoadForCallerAsync(db, caller, sessionId, cancellationToken);
        SessionService.RequireCoordinator(caller, session);
        var round = session.Rounds.FirstOrDefault(r => r.State == Entities.RoundState.Open)
            ?? throw SessionException.Conflict("No round is open.");
        return await CloseAsync(db, session, round, RoundCloseReason.Coordinator, caller.UserName, cancellationToken);
    }

    /// <summary>
    /// Closes the round if it is still open and either its deadline has passed or every party has
    /// bid (a close that failed after the last bid's commit, or a crash between the two, leaves
    /// such a round open). The live session's deadline timer calls this.
    /// </summary>
    public async Task<bool> CloseIfExpiredAsync(Guid sessionId, int roundNumber, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(sessionId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await LoadAsync(db, sessionId, cancellationToken);
        var round = session.Rounds.FirstOrDefault(r => r.Number == roundNumber && r.State == Entities.RoundState.Open);
        if (round is null)
        {
            return false;
        }

        if (round.Bids.Count == session.Parties.Count)
        {
            await CloseAsync(db, session, round, RoundCloseReason.AllBid, "system", cancellationToken);
            return true;
        }

        if (round.DeadlineUtc > time.GetDatabaseUtcNow())
        {
            return false;
        }

        await CloseAsync(db, session, round, RoundCloseReason.Deadline, "system", cancellationToken);
        return true;
    }

    /// <summary>
    /// Auto-concedes the parties that did not bid, analyses the round, and on agreement creates
    /// the contract (revision 0) — all in one transaction; then broadcasts.
    /// </summary>
    private async Task<RoundClosed> CloseAsync(NegotiationDbContext db, NegotiationSession session, Round round, RoundCloseReason reason, string closedBy, CancellationToken cancellationToken)
    {
        var now = time.GetDatabaseUtcNow();
        var problem = cache.Problem(session.Id, round.Period) ?? PeriodProblem.Of(session, round.Period);
        var n = session.Parties.Count;
        var bids = Enumerable.Range(0, n).Select(i => round.Bids.FirstOrDefault(b => b.PartyIndex == i)).ToArray();
        var previous = bids.Contains(null) ? await PreviousDemandsAsync(db, session, round.Number, cancellationToken) : new double?[n];
        var closing = RoundClosing.Decide(session.Id, round.Number, problem, session.AutoConcessionLambda, bids, previous, reason, now);
        round.Bids.AddRange(closing.AutoConceded);
        closing.ApplyTo(round);
        var closed = closing.Closed(NextSequence(session));
        var actor = closing.Actor(closedBy);
        await AuditLog.AppendAsync(db, AuditChain.ForSession(session.Id), actor, AuditEvents.RoundClosed, closing.ClosedPayload, now, cancellationToken);
        AgreementReached? agreed = null;
        if (closing.Contract is { } contract)
        {
            db.Contracts.Add(contract);
            session.State = Entities.SessionState.Agreed;
            await AuditLog.AppendAsync(db, AuditChain.ForSession(session.Id), actor, AuditEvents.AgreementReached, closing.AgreedPayload!, now, cancellationToken);
            agreed = closing.Agreed(NextSequence(session));
        }

        await db.SaveChangesAsync(cancellationToken);
        Remember(db, session);
        cache.SetProblem(session.Id, problem);
        await SendClosedAsync(closing, closed, agreed);
        return closed;
    }

    /// <summary>Broadcasts a committed close (and its agreement), in sequence order.</summary>
    private async Task SendClosedAsync(RoundClosing closing, RoundClosed closed, AgreementReached? agreed)
    {
        log.LogInformation("Session {SessionId} round {Round} closed ({Reason}); compatible={Compatible}, efficiency={Efficiency:F4}",
            closing.SessionId, closing.Round, closing.Reason, closing.Analysis.Compatible, closing.Analysis.NashEfficiency);
        var group = hub.Clients.Group(Group(closing.SessionId));
        await group.RoundClosed(closed);
        if (agreed is not null)
        {
            await group.AgreementReached(agreed);
        }
    }

    private static async Task<double?[]> PreviousDemandsAsync(NegotiationDbContext db, NegotiationSession session, int roundNumber, CancellationToken cancellationToken)
    {
        var result = new double?[session.Parties.Count];
        if (roundNumber <= 1)
        {
            return result;
        }

        var bids = await db.Bids.AsNoTracking()
            .Where(b => b.SessionId == session.Id && b.RoundNumber == roundNumber - 1)
            .Select(b => new { b.PartyIndex, b.Demand })
            .ToListAsync(cancellationToken);
        foreach (var b in bids)
        {
            result[b.PartyIndex] = b.Demand;
        }

        return result;
    }

    // What a bid and a round opening write and send, the same from the cached state (RoundService.Cached.cs) and from loaded data.

    private static Bid NewBid(Guid sessionId, int round, int party, BidSubmission bid, double[]? proposal, Caller caller, DateTime now, long sequence) => new()
    {
        Sequence = sequence,
        Id = bid.BidId,
        SessionId = sessionId,
        RoundNumber = round,
        PartyIndex = party,
        Demand = bid.Demand,
        ProposalJson = proposal is null ? null : JsonSerializer.Serialize(proposal),
        SubmittedById = caller.UserId,
        SubmittedUtc = now,
    };

    /// <summary>Sealed bids broadcast who bid, not what.</summary>
    private static BidAccepted Accepted(Bid bid, double[]? proposal, Entities.BidMode mode) => new()
    {
        SessionId = bid.SessionId,
        Sequence = bid.Sequence!.Value,
        Round = bid.RoundNumber,
        PartyIndex = bid.PartyIndex,
        BidId = bid.Id,
        Demand = mode == Entities.BidMode.Open ? bid.Demand : null,
        Proposal = mode == Entities.BidMode.Open ? proposal : null,
    };

    private static object AcceptedPayload(Bid bid, double[]? proposal) =>
        new { bidId = bid.Id, round = bid.RoundNumber, partyIndex = bid.PartyIndex, demand = bid.Demand, proposal, autoConceded = false };

    private static Round NewRound(Guid sessionId, int number, int period, DateTime now, int deadlineSeconds) => new()
    {
        SessionId = sessionId,
        Number = number,
        State = Entities.RoundState.Open,
        Period = period,
        OpenedUtc = now,
        DeadlineUtc = now.AddSeconds(deadlineSeconds),
    };

    private static RoundOpened Opened(Round round, long sequence) => new()
    {
        SessionId = round.SessionId,
        Sequence = sequence,
        Round = round.Number,
        OpenedUtc = SessionMessages.Utc(round.OpenedUtc),
        DeadlineUtc = SessionMessages.Utc(round.DeadlineUtc),
    };

    private static object OpenedPayload(Round round) =>
        new { round = round.Number, round.Period, openedUtc = round.OpenedUtc, deadlineUtc = round.DeadlineUtc };

    /// <summary>How far, relative to K, a proposal's sum may stray from K (rounding in a client's arithmetic, not a different split).</summary>
    private const double ProposalSumTolerance = 1e-9;

    private static double[]? ValidateProposal(IReadOnlyList<double>? proposal, int parties, double pool)
    {
        if (proposal is null)
        {
            return null;
        }

        var values = Guard.AllNonNegative(Guard.Length(proposal, "proposal", parties, "party"), "proposal");
        var sum = values.Sum();
        if (Math.Abs(sum - pool) > ProposalSumTolerance * pool)
        {
            throw new ModelValidationException("proposal", $"must sum to the pool K = {Guard.Format(pool)} (sums to {Guard.Format(sum)})");
        }

        return values;
    }

    private long NextSequence(NegotiationSession session)
    {
        session.Version++;
        _lastSequence[session.Id] = session.Sequence + 1;
        return ++session.Sequence;
    }

    private static async Task<NegotiationSession> LoadForCallerAsync(NegotiationDbContext db, Caller caller, Guid sessionId, CancellationToken cancellationToken) =>
        Readable(caller, await LoadAsync(db, sessionId, cancellationToken));

    /// <summary>The session if the caller may read it; otherwise "not found", so its existence is not revealed.</summary>
    private static NegotiationSession Readable(Caller caller, NegotiationSession session) =>
        SessionService.CanRead(caller, session) ? session : throw SessionException.NotFound(session.Id);

    /// <summary>
    /// What a bid needs, in one statement: the session, its parties, its members and the open round
    /// with its bids (all that <see cref="CachedSession.From"/> reads).
    /// </summary>
    private static async Task<NegotiationSession> LoadOpenRoundAsync(NegotiationDbContext db, Guid sessionId, CancellationToken cancellationToken) =>
        await db.Sessions
            .Include(s => s.Parties.OrderBy(p => p.Index))
            .Include(s => s.Members)
            .Include(s => s.Rounds.Where(r => r.State == Entities.RoundState.Open)).ThenInclude(r => r.Bids)
            .AsSingleQuery()
            .FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken)
        ?? throw SessionException.NotFound(sessionId);

    internal static async Task<NegotiationSession> LoadAsync(NegotiationDbContext db, Guid sessionId, CancellationToken cancellationToken) =>
        await db.Sessions
            .Include(s => s.Parties.OrderBy(p => p.Index))
            .Include(s => s.Factors.OrderBy(f => f.Index))
            .Include(s => s.Strengths)
            .Include(s => s.Members)
            .Include(s => s.Rounds.Where(r => r.State == Entities.RoundState.Open)).ThenInclude(r => r.Bids)
            .AsSplitQuery()
            .FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken)
        ?? throw SessionException.NotFound(sessionId);
}
