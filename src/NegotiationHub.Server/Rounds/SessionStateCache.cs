using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Audit;
using NegotiationHub.Server.Sessions;

namespace NegotiationHub.Server.Rounds;

/// <summary>
/// What a bid, a round opening or an all-bid close needs of a session, as committed at <see cref="Version"/> (ADR 0010).
/// Immutable: every commit of this node replaces it whole.
/// </summary>
public sealed record CachedSession
{
    public required Guid Id { get; init; }

    /// <summary>The session row's concurrency token this state was read or written at.</summary>
    public required long Version { get; init; }

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
    public CachedRound? OpenRound { get; init; }

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

    /// <summary>
    /// The cached state of <paramref name="session"/> (loaded with its parties in order, all its
    /// members and its open round's bids) whose audit chain ends at <paramref name="head"/>.
    /// </summary>
    public static CachedSession From(NegotiationSession session, AuditHead head)
    {
        ArgumentNullException.ThrowIfNull(session);
        var open = session.Rounds.FirstOrDefault(r => r.State == RoundState.Open);
        return new CachedSession
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
            OpenRound = open is null ? null : new CachedRound(open.Number, open.Period, [.. open.Bids.Select(b => new CachedBid(b.Id, b.PartyIndex, b.Demand))]),
            Head = head,
        };
    }
}

/// <summary>An open round: its number, its strength period and the bids in so far.</summary>
public sealed record CachedRound(int Number, int Period, ImmutableArray<CachedBid> Bids);

/// <summary>A bid of the open round.</summary>
public readonly record struct CachedBid(Guid BidId, int PartyIndex, double Demand);

/// <summary>
/// This node's <see cref="CachedSession"/> per session (ADR 0010). Read and replaced only under the
/// session's lock. A cached state can be stale (another node, or a write this node's services
/// made without telling the cache); it is only ever used to go faster: a write made from it
/// commits only if the session row still has its <see cref="CachedSession.Version"/>, and
/// anything it would refuse is decided again on freshly loaded data.
/// </summary>
public sealed class SessionStateCache : IDisposable
{
    /// <summary>Sessions kept at most; past this the cache starts afresh (each session reloads once).</summary>
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<Guid, CachedSession> _entries = new();
    private readonly ConcurrentDictionary<(Guid Session, int Period), PeriodProblem> _problems = new();
    private readonly Meter _meter = new("NegotiationHub.Server");
    private long _hits;
    private long _misses;
    private long _stale;

    public SessionStateCache()
    {
        _meter.CreateObservableCounter("negotiationhub.session_cache.hits", () => Hits, description: "Bids, round openings and round closes committed from the cached session state");
        _meter.CreateObservableCounter("negotiationhub.session_cache.misses", () => Misses, description: "Bids and round openings that loaded the session (none cached, or the cached state would refuse)");
        _meter.CreateObservableCounter("negotiationhub.session_cache.stale", () => Stale, description: "Writes from the cached state the database refused (the session had changed); redone on fresh data");
    }

    /// <summary>Operations committed from the cached state.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Operations that took the loading path.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Writes from a stale cached state that the database refused.</summary>
    public long Stale => Interlocked.Read(ref _stale);

    /// <summary>Sessions cached now.</summary>
    public int Count => _entries.Count;

    public CachedSession? Get(Guid sessionId) => _entries.GetValueOrDefault(sessionId);

    /// <summary>Keeps <paramref name="state"/> unless a newer version is already cached.</summary>
    public void Set(CachedSession state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_entries.Count >= Capacity && !_entries.ContainsKey(state.Id))
        {
            _entries.Clear();
        }

        _entries.AddOrUpdate(state.Id, state, (_, old) => old.Version > state.Version ? old : state);
    }

    /// <summary>Forgets a session (after a write elsewhere in this node, or a refusal); its period problems stay, as they never change.</summary>
    public void Invalidate(Guid sessionId) => _entries.TryRemove(sessionId, out _);

    /// <summary>The problem of one period of an open session, if this node has used it.</summary>
    public PeriodProblem? Problem(Guid sessionId, int period) => _problems.GetValueOrDefault((sessionId, period));

    /// <summary>
    /// Keeps the problem of a period of an open session: it can never be stale (parties, factors,
    /// λ and a period's readings are fixed once a session is open), so nothing invalidates it.
    /// </summary>
    public void SetProblem(Guid sessionId, PeriodProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (_problems.Count >= Capacity)
        {
            _problems.Clear();
        }

        _problems[(sessionId, problem.Period)] = problem;
    }

    internal void Hit() => Interlocked.Increment(ref _hits);

    internal void Miss() => Interlocked.Increment(ref _misses);

    internal void Refused() => Interlocked.Increment(ref _stale);

    public void Dispose() => _meter.Dispose();
}
