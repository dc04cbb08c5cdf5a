using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Live;

/// <summary>
/// What a live session's rules decide from (ADR 0012): the session as committed at
/// <see cref="Version"/>. Immutable; the grain replaces it after each commit, and loads it again
/// when a write finds it stale or it would refuse a call.
/// </summary>
public sealed record LiveState
{
    public required Guid Id { get; init; }

    /// <summary>The session row's concurrency token this state was read or written at.</summary>
    public required long Version { get; init; }

    /// <summary>The sequence number of the last message committed for the session.</summary>
    public required long Sequence { get; init; }

    public required SessionState State { get; init; }

    public required BidMode BidMode { get; init; }

    public required double Pool { get; init; }

    public required int CurrentRound { get; init; }

    public required int CurrentPeriod { get; init; }

    public required string CreatedById { get; init; }

    /// <summary>λ of the auto-concession rule (fixed once the session is open).</summary>
    public required double AutoConcessionLambda { get; init; }

    /// <summary>d_i by party index; its length is the number of parties.</summary>
    public required ImmutableArray<double> Disagreements { get; init; }

    /// <summary>Copies of the session's memberships (never tracked by a context).</summary>
    public required ImmutableArray<SessionMembership> Members { get; init; }

    /// <summary>The open round, or null between rounds.</summary>
    public LiveRound? OpenRound { get; init; }

    /// <summary>Each party's demand in the last closed round (null before the first): where a late party's auto-concession starts (MODEL §4).</summary>
    public required ImmutableArray<double?> PreviousDemands { get; init; }

    /// <summary>The last entry of the session's audit chain.</summary>
    public required AuditHead Head { get; init; }

    public int PartyCount => Disagreements.Length;

    /// <summary>The party the caller bids for, or null if the caller is not a member of a party.</summary>
    public int? PartyOf(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        foreach (var m in Members)
        {
            if (m.UserId == caller.UserId && m.Role == SessionRole.Member && m.PartyIndex is { } party)
            {
                return party;
            }
        }

        return null;
    }

    public bool CanRead(Caller caller) => SessionAccess.CanRead(caller, CreatedById, Members);

    public bool Coordinates(Caller caller) => SessionAccess.Coordinates(caller, CreatedById, Members);

    /// <summary>Loads the live state of a session: the session with its parties and members, its open round's bids, the last closed round's demands, the audit chain's head.</summary>
    public static async Task<LiveState> LoadAsync(NegotiationDbContext db, Guid sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var session = await db.Sessions.AsNoTracking()
            .Include(s => s.Parties.OrderBy(p => p.Index))
            .Include(s => s.Members)
            .Include(s => s.Rounds.Where(r => r.State == RoundState.Open)).ThenInclude(r => r.Bids)
            .AsSingleQuery()
            .FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken)
            ?? throw SessionException.NotFound(sessionId);
        return await FromAsync(db, session, cancellationToken);
    }

    /// <summary>The live state of a session loaded (at least) with its parties in order, members and open round's bids.</summary>
    public static async Task<LiveState> FromAsync(NegotiationDbContext db, NegotiationSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(session);
        var open = session.Rounds.FirstOrDefault(r => r.State == RoundState.Open);
        var lastClosed = open is null ? session.CurrentRound : open.Number - 1;
        var previous = new double?[session.Parties.Count];
        if (lastClosed >= 1)
        {
            foreach (var b in await db.Bids.AsNoTracking()
                .Where(b => b.SessionId == session.Id && b.RoundNumber == lastClosed)
                .Select(b => new { b.PartyIndex, b.Demand })
                .ToListAsync(cancellationToken))
            {
                previous[b.PartyIndex] = b.Demand;
            }
        }

        return new LiveState
        {
            Id = session.Id,
            Version = session.Version,
            Sequence = session.Sequence,
            State = session.State,
            BidMode = session.BidMode,
            Pool = session.Pool,
            CurrentRound = session.CurrentRound,
            CurrentPeriod = session.CurrentPeriod,
            CreatedById = session.CreatedById,
            AutoConcessionLambda = session.AutoConcessionLambda,
            Disagreements = [.. session.Parties.OrderBy(p => p.Index).Select(p => p.Disagreement)],
            Members = [.. session.Members.Select(m => new SessionMembership { SessionId = m.SessionId, UserId = m.UserId, Role = m.Role, PartyIndex = m.PartyIndex, AddedUtc = m.AddedUtc })],
            OpenRound = open is null ? null : new LiveRound(open.Number, open.Period, open.OpenedUtc, open.DeadlineUtc,
                [.. open.Bids.Select(b => new LiveBidRecord(b.Id, b.PartyIndex, b.Demand, b.Sequence ?? session.Sequence))]),
            PreviousDemands = [.. previous],
            Head = await AuditLog.HeadAsync(db, AuditChain.ForSession(session.Id), cancellationToken),
        };
    }
}

/// <summary>An open round: its number, its strength period, its times and the bids in so far.</summary>
public sealed record LiveRound(int Number, int Period, DateTime OpenedUtc, DateTime DeadlineUtc, ImmutableArray<LiveBidRecord> Bids);

/// <summary>A bid of the open round, with the sequence number of its <c>BidAccepted</c>.</summary>
public readonly record struct LiveBidRecord(Guid BidId, int PartyIndex, double Demand, long Sequence);
