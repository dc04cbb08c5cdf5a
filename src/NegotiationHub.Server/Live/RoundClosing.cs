using System.Text.Json;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Contracts;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Live;

/// <summary>
/// What closing a round decides (MODEL §4), from plain data: the auto-concessions of the parties
/// that did not bid, the analysis, the audit payloads and, when the demands are compatible, the
/// contract. Pure; <see cref="Live.SessionRules"/> puts it into the one write that closes the round.
/// </summary>
public sealed class RoundClosing
{
    private RoundClosing(Guid sessionId, int round, RoundCloseReason reason, DateTime now)
    {
        SessionId = sessionId;
        Round = round;
        Reason = reason;
        Now = now;
    }

    public Guid SessionId { get; }

    public int Round { get; }

    public RoundCloseReason Reason { get; }

    public DateTime Now { get; }

    /// <summary>The bids made for the parties that did not bid (to be added to the round).</summary>
    public IReadOnlyList<Bid> AutoConceded { get; private init; } = [];

    public required RoundAnalysis Analysis { get; init; }

    public required RoundAnalysisView View { get; init; }

    public required string AnalysisJson { get; init; }

    /// <summary>The <c>RoundClosed</c> audit payload.</summary>
    public required object ClosedPayload { get; init; }

    /// <summary>The contract (revision 0) if the demands are compatible, else null.</summary>
    public Contract? Contract { get; private init; }

    /// <summary>The <c>AgreementReached</c> audit payload, with <see cref="Contract"/>.</summary>
    public object? AgreedPayload { get; private init; }

    private IReadOnlyList<double>? Allocation { get; init; }

    private double[]? Shares { get; init; }

    /// <summary>
    /// Decides the close of round <paramref name="round"/> of period <paramref name="p"/>.
    /// <paramref name="bids"/> holds each party's bid, or null for a party that did not bid, whose
    /// demand then moves λ of the way from <paramref name="previous"/> (its demand in the round
    /// before, or the whole pool) toward k*_i.
    /// </summary>
    public static RoundClosing Decide(
        Guid sessionId, int round, PeriodProblem p, double lambda, IReadOnlyList<Bid?> bids, IReadOnlyList<double?> previous, RoundCloseReason reason, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(previous);
        var problem = p.Problem;
        var pool = problem.Pool;
        var n = problem.Parties;
        var demands = new double[n];
        var auto = new bool[n];
        var conceded = new List<Bid>();
        for (var i = 0; i < n; i++)
        {
            var bid = bids[i];
            if (bid is null)
            {
                var from = previous[i] ?? pool;
                bid = new Bid
                {
                    Id = Guid.NewGuid(), SessionId = sessionId, RoundNumber = round, PartyIndex = i,
                    Demand = Math.Clamp(ConcessionRule.AutoConcede(from, p.Target.Allocation[i], lambda), problem.Disagreement[i], pool),
                    SubmittedUtc = now, AutoConceded = true,
                };
                conceded.Add(bid);
            }

            demands[i] = bid.Demand;
            auto[i] = bid.AutoConceded;
        }

        var analysis = RoundAnalyzer.Analyze(problem, demands, lambda, p.Target);
        var view = SessionMessages.Analysis(round, SessionMessages.Utc(now), analysis, auto);
        IReadOnlyList<double>? allocation = null;
        double[]? shares = null;
        Contract? contract = null;
        if (analysis.Compatible)
        {
            allocation = analysis.Agreement!;
            shares = allocation.Select(k => k / pool).ToArray();
            contract = new Contract
            {
                Id = Guid.NewGuid(), SessionId = sessionId, RoundNumber = round, CreatedUtc = now, CurrentRevision = 0,
                SharesJson = JsonSerializer.Serialize(shares),
            };
            contract.Revisions.Add(new ContractRevisionRecord
            {
                ContractId = contract.Id, Number = 0, Kind = "Agreement", Period = p.Period, SharesJson = contract.SharesJson,
                OptimumJson = JsonSerializer.Serialize(p.Target.Shares), PowersJson = JsonSerializer.Serialize(problem.Powers),
                StrengthsJson = JsonSerializer.Serialize(p.Strengths), CreatedUtc = now,
            });
        }

        return new RoundClosing(sessionId, round, reason, now)
        {
            AutoConceded = conceded,
            Analysis = analysis,
            View = view,
            AnalysisJson = JsonSerializer.Serialize(view, SessionMessages.Json),
            ClosedPayload = new
            {
                round,
                reason = reason.ToString(),
                autoConceded = conceded.Select(b => new { bidId = b.Id, partyIndex = b.PartyIndex, demand = b.Demand }),
                demands,
                analysis.Gap,
                analysis.Compatible,
                analysis.MustConcede,
                analysis.NashEfficiency,
                analysis.Distance,
                powers = problem.Powers,
                target = p.Target.Allocation,
            },
            Contract = contract,
            Allocation = allocation,
            Shares = shares,
            AgreedPayload = contract is null ? null : new
            {
                contractId = contract.Id,
                round,
                allocation,
                shares,
                optimum = p.Target.Shares,
                powers = problem.Powers,
                strengths = p.Strengths,
            },
        };
    }

    /// <summary>Who the audit names: the system for a deadline, else whoever closed.</summary>
    public string Actor(string closedBy) => Reason == RoundCloseReason.Deadline ? "system" : closedBy;

    /// <summary>Sets the closed round's columns (the auto-conceded bids are added separately).</summary>
    public void ApplyTo(Round round)
    {
        ArgumentNullException.ThrowIfNull(round);
        round.State = RoundState.Closed;
        round.ClosedUtc = Now;
        round.CloseReason = Reason;
        round.AnalysisJson = AnalysisJson;
        round.Compatible = Analysis.Compatible;
        round.NashEfficiency = Analysis.NashEfficiency;
        round.Distance = Analysis.Distance;
    }

    public RoundClosed Closed(long sequence) => new() { SessionId = SessionId, Sequence = sequence, Analysis = View };

    /// <summary>The agreement message (only when <see cref="Contract"/> is set).</summary>
    public AgreementReached Agreed(long sequence) => new()
    {
        SessionId = SessionId,
        Sequence = sequence,
        Agreement = new AgreementView { Round = Round, Allocation = Allocation!, Shares = Shares!, ContractId = Contract!.Id, ReachedUtc = SessionMessages.Utc(Now) },
    };
}
