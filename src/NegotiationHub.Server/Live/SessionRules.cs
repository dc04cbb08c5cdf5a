using System.Text.Json;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Contracts;
using NegotiationHub.Data.Entities;
using NegotiationHub.Data.Audit;

namespace NegotiationHub.Server.Live;

/// <summary>An audit entry a write appends (after the state's chain head, in order).</summary>
public sealed record AuditRecord(string Actor, string Type, object Payload, DateTime Time);

/// <summary>A round close a write commits: the round, and what <see cref="RoundClosing"/> decided.</summary>
public sealed record LiveClose(int Round, int Period, RoundClosing Closing);

/// <summary>
/// The one write a call makes (ADR 0012): rows to add or change, audit entries, and the messages
/// it broadcasts once committed, numbered from the state's sequence on. <see cref="Next"/> is the
/// state after the commit (its audit head is set by the writer).
/// </summary>
public sealed class LiveWrite
{
    public required LiveState Next { get; init; }

    public Bid? NewBid { get; init; }

    public Round? NewRound { get; init; }

    public LiveClose? Close { get; init; }

    public required IReadOnlyList<AuditRecord> Audit { get; init; }

    public required IReadOnlyList<ISessionMessage> Messages { get; init; }

    /// <summary>The round's last bid, committed without its close because the close could not be decided (the grain tries again shortly).</summary>
    public Exception? CloseUndecided { get; init; }
}

/// <summary>What a call decided: its reply, and the write that must commit before it is given (none for a duplicate bid).</summary>
public sealed record LiveOutcome<T>(T Reply, LiveWrite? Write);

/// <summary>
/// The rules of a live session (MODEL §4, PRODUCT.md's hub contract), as pure functions of the
/// state and a command (ADR 0012). Each returns the one write the command makes, or throws the
/// refusal (<see cref="ModelValidationException"/> or <see cref="SessionException"/>, naming what
/// was wrong). Nothing here reads or writes the database; the grain commits what these decide.
/// </summary>
public static class SessionRules
{
    /// <summary>The shortest and longest round deadline a coordinator may set, seconds.</summary>
    public const int MinDeadlineSeconds = 10;

    /// <inheritdoc cref="MinDeadlineSeconds"/>
    public const int MaxDeadlineSeconds = 86_400;

    /// <summary>How far, relative to K, a proposal's sum may stray from K (rounding in a client's arithmetic, not a different split).</summary>
    public const double ProposalSumTolerance = 1e-9;

    /// <summary>
    /// A party's bid. <paramref name="existing"/> is the stored bid with the same id, if the
    /// caller looked (a resent id of an earlier round); <paramref name="problem"/> is the open
    /// round's period problem, needed to close the round with its last bid (null if it could not
    /// be read: the bid then commits alone).
    /// </summary>
    public static LiveOutcome<BidAck> Bid(LiveState s, Caller caller, BidSubmission bid, Bid? existing, PeriodProblem? problem, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(bid);
        if (bid.BidId == Guid.Empty)
        {
            throw new ModelValidationException("bidId", "must be a non-empty GUID chosen by the client");
        }

        Guard.Finite(bid.Demand, "demand");
        Readable(s, caller);
        var party = s.PartyOf(caller) ?? throw SessionException.Forbidden("Only members of a party bid in this session.");

        // Idempotent: the same bid again has no second effect and is acknowledged as it was the first time.
        if (s.OpenRound is { } current && current.Bids.Any(b => b.BidId == bid.BidId))
        {
            var known = current.Bids.First(b => b.BidId == bid.BidId);
            return Duplicate(s, party, bid.BidId, current.Number, known.PartyIndex, known.Sequence);
        }

        if (existing is not null)
        {
            if (existing.SessionId != s.Id)
            {
                throw new ModelValidationException("bidId", "is already used by another bid");
            }

            return Duplicate(s, party, bid.BidId, existing.RoundNumber, existing.PartyIndex, existing.Sequence ?? s.Sequence);
        }

        if (s.State != SessionState.Open)
        {
            throw SessionException.Conflict($"The session is {s.State}; bids are closed.");
        }

        var round = s.OpenRound ?? throw SessionException.Conflict("No round is open.");
        if (bid.Round != round.Number)
        {
            throw new ModelValidationException("round", $"must be the open round {round.Number}");
        }

        if (round.Bids.Any(b => b.PartyIndex == party))
        {
            throw SessionException.Conflict($"Your party has already bid in round {round.Number}.");
        }

        Guard.InRange(bid.Demand, "demand", s.Disagreements[party], s.Pool);
        var proposal = ValidateProposal(bid.Proposal, s.PartyCount, s.Pool);

        var sequence = s.Sequence + 1;
        var entity = new Bid
        {
            Id = bid.BidId, SessionId = s.Id, RoundNumber = round.Number, PartyIndex = party, Demand = bid.Demand,
            ProposalJson = proposal is null ? null : JsonSerializer.Serialize(proposal),
            SubmittedById = caller.UserId, SubmittedUtc = now, Sequence = sequence,
        };
        var accepted = new BidAccepted
        {
            SessionId = s.Id, Sequence = sequence, Round = round.Number, PartyIndex = party, BidId = entity.Id,
            // Sealed bids broadcast who bid, not what.
            Demand = s.BidMode == BidMode.Open ? entity.Demand : null,
            Proposal = s.BidMode == BidMode.Open ? proposal : null,
        };
        var ack = new BidAck { SessionId = s.Id, BidId = entity.Id, Round = round.Number, PartyIndex = party, Duplicate = false, Sequence = sequence };
        var audit = new List<AuditRecord>
        {
            new(caller.UserName, AuditEvents.BidAccepted, new { bidId = entity.Id, round = round.Number, partyIndex = party, demand = entity.Demand, proposal, autoConceded = false }, now),
        };
        var bids = round.Bids.Add(new LiveBidRecord(entity.Id, party, entity.Demand, sequence));
        var afterBid = s with { Version = s.Version + 1, Sequence = sequence, OpenRound = round with { Bids = bids } };
        if (bids.Length < s.PartyCount)
        {
            return new(ack, new LiveWrite { Next = afterBid, NewBid = entity, Audit = audit, Messages = [accepted] });
        }

        // The round's last bid commits with the round's close, in one transaction: the close is
        // what every member waits for. If the close cannot be decided, the bid commits alone.
        Exception? undecided = null;
        if (problem is not null)
        {
            try
            {
                return Closing(afterBid, round with { Bids = bids }, problem, RoundCloseReason.AllBid, caller.UserName, now, ack, entity, audit, [accepted]);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                undecided = exception;
            }
        }

        return new(ack, new LiveWrite
        {
            Next = afterBid, NewBid = entity, Audit = audit, Messages = [accepted],
            CloseUndecided = undecided ?? new InvalidOperationException($"The problem of period {round.Period} could not be read."),
        });
    }

    /// <summary>The coordinator opens the next round.</summary>
    public static LiveOutcome<RoundOpened> Open(LiveState s, Caller caller, int deadlineSeconds, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(s);
        Guard.InRange(deadlineSeconds, "deadlineSeconds", SessionRules.MinDeadlineSeconds, SessionRules.MaxDeadlineSeconds);

        Readable(s, caller);
        RequireCoordinator(s, caller);
        if (s.State != SessionState.Open)
        {
            throw SessionException.Conflict(s.State == SessionState.Draft
                ? "Open the session before its first round."
                : $"The session is {s.State}; no more rounds.");
        }

        if (s.OpenRound is not null)
        {
            throw SessionException.Conflict($"Round {s.CurrentRound} is still open.");
        }

        var round = new Round
        {
            SessionId = s.Id, Number = s.CurrentRound + 1, State = RoundState.Open, Period = s.CurrentPeriod,
            OpenedUtc = now, DeadlineUtc = now.AddSeconds(deadlineSeconds),
        };
        var sequence = s.Sequence + 1;
        var opened = new RoundOpened
        {
            SessionId = s.Id, Sequence = sequence, Round = round.Number,
            OpenedUtc = SessionMessages.Utc(round.OpenedUtc), DeadlineUtc = SessionMessages.Utc(round.DeadlineUtc),
        };
        var next = s with
        {
            Version = s.Version + 1, Sequence = sequence, CurrentRound = round.Number,
            OpenRound = new LiveRound(round.Number, round.Period, round.OpenedUtc, round.DeadlineUtc, []),
        };
        return new(opened, new LiveWrite
        {
            Next = next, NewRound = round, Messages = [opened],
            Audit = [new(caller.UserName, AuditEvents.RoundOpened, new { round = round.Number, round.Period, openedUtc = round.OpenedUtc, deadlineUtc = round.DeadlineUtc }, now)],
        });
    }

    /// <summary>The coordinator closes the open round now; parties that did not bid are auto-conceded (MODEL §4).</summary>
    public static LiveOutcome<RoundClosed> CloseByCoordinator(LiveState s, Caller caller, PeriodProblem? problem, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(caller);
        Readable(s, caller);
        RequireCoordinator(s, caller);
        var round = s.OpenRound ?? throw SessionException.Conflict("No round is open.");
        ArgumentNullException.ThrowIfNull(problem);
        return ClosingOnly(s, round, problem, RoundCloseReason.Coordinator, caller.UserName, now);
    }

    /// <summary>
    /// The close the open round's timer makes: at once when every party has bid (its close failed
    /// or could not be decided before), else at its deadline; null when there is nothing to close.
    /// </summary>
    public static LiveOutcome<RoundClosed>? CloseWhenDue(LiveState s, int roundNumber, PeriodProblem problem, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.OpenRound is not { } round || round.Number != roundNumber)
        {
            return null;
        }

        if (round.Bids.Length == s.PartyCount)
        {
            return ClosingOnly(s, round, problem, RoundCloseReason.AllBid, "system", now);
        }

        return round.DeadlineUtc <= now ? ClosingOnly(s, round, problem, RoundCloseReason.Deadline, "system", now) : null;
    }

    /// <summary>When the open round is due: its deadline, or now if every party has bid.</summary>
    public static DateTime? DueUtc(LiveState s, DateTime now) =>
        s.OpenRound is not { } round ? null : round.Bids.Length == s.PartyCount ? now : round.DeadlineUtc;

    private static LiveOutcome<RoundClosed> ClosingOnly(LiveState s, LiveRound round, PeriodProblem problem, RoundCloseReason reason, string closedBy, DateTime now)
    {
        var outcome = Closing<RoundClosed>(s, round, problem, reason, closedBy, now, ack: null!, bid: null, audit: [], messages: []);
        return new((RoundClosed)outcome.Write!.Messages[0], outcome.Write);
    }

    /// <summary>Adds a round's close to a write (after <paramref name="messages"/> already in it).</summary>
    private static LiveOutcome<T> Closing<T>(
        LiveState s, LiveRound round, PeriodProblem problem, RoundCloseReason reason, string closedBy, DateTime now,
        T ack, Bid? bid, List<AuditRecord> audit, List<ISessionMessage> messages)
    {
        var bids = new Bid?[s.PartyCount];
        foreach (var b in round.Bids)
        {
            bids[b.PartyIndex] = new Bid { Id = b.BidId, SessionId = s.Id, RoundNumber = round.Number, PartyIndex = b.PartyIndex, Demand = b.Demand };
        }

        var closing = RoundClosing.Decide(s.Id, round.Number, problem, s.AutoConcessionLambda, bids, s.PreviousDemands, reason, now);
        var actor = closing.Actor(closedBy);
        var closed = closing.Closed(s.Sequence + 1);
        audit.Add(new(actor, AuditEvents.RoundClosed, closing.ClosedPayload, now));
        messages.Add(closed);
        var state = s.State;
        if (closing.Contract is not null)
        {
            audit.Add(new(actor, AuditEvents.AgreementReached, closing.AgreedPayload!, now));
            messages.Add(closing.Agreed(closed.Sequence + 1));
            state = SessionState.Agreed;
        }

        var added = messages.Count - (bid is null ? 0 : 1);
        var next = s with
        {
            Version = s.Version + added, Sequence = s.Sequence + added, State = state, OpenRound = null,
            PreviousDemands = [.. closing.Analysis.Parties.Select(p => (double?)p.Demand)],
        };
        var reply = bid is null ? (T)(object)closed : ack;
        return new(reply, new LiveWrite { Next = next, NewBid = bid, Close = new LiveClose(round.Number, round.Period, closing), Audit = audit, Messages = messages });
    }

    private static LiveOutcome<BidAck> Duplicate(LiveState s, int party, Guid bidId, int round, int storedParty, long sequence)
    {
        if (storedParty != party)
        {
            throw new ModelValidationException("bidId", "is already used by another bid");
        }

        return new(new BidAck { SessionId = s.Id, BidId = bidId, Round = round, PartyIndex = party, Duplicate = true, Sequence = sequence }, null);
    }

    /// <summary>The session if the caller may read it; otherwise "not found", so its existence is not revealed.</summary>
    private static void Readable(LiveState s, Caller caller)
    {
        if (!s.CanRead(caller))
        {
            throw SessionException.NotFound(s.Id);
        }
    }

    private static void RequireCoordinator(LiveState s, Caller caller)
    {
        if (!s.Coordinates(caller))
        {
            throw SessionException.Forbidden("Only the session's coordinators may do this.");
        }
    }

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
}
