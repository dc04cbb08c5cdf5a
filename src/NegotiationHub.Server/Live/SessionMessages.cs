using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Entities;
using NegotiationHub.Server.Infrastructure;
using Wire = NegotiationHub.Contracts;

namespace NegotiationHub.Server.Live;

/// <summary>Builds the hub's wire messages from entities and analyses (never entities on the wire).</summary>
public static class SessionMessages
{
    /// <summary>The JSON used for stored message bodies (the API's own rules).</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static RoundAnalysisView Analysis(int round, DateTimeOffset closedUtc, RoundAnalysis analysis, IReadOnlyList<bool> autoConceded)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(autoConceded);
        return new RoundAnalysisView
        {
            Round = round,
            ClosedUtc = closedUtc,
            Parties = analysis.Parties.Select((p, i) => new PartyRoundView
            {
                PartyIndex = i, Power = p.Power, Demand = p.Demand, FearOfBreakdown = p.FearOfBreakdown, Ratio = p.Ratio, Target = p.Target, AutoConceded = autoConceded[i], NextDemand = p.NextDemand,
            }).ToList(),
            Gap = analysis.Gap,
            Compatible = analysis.Compatible,
            MustConcede = analysis.MustConcede,
            Distance = analysis.Distance,
            NashEfficiency = analysis.NashEfficiency,
            RatioSpread = analysis.RatioSpread,
        };
    }

    public static async Task<SessionSnapshot> SnapshotAsync(
        NegotiationDbContext db, NegotiationSession session, Caller caller, IReadOnlyList<MemberPresence> online, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(caller);
        var own = session.Members.FirstOrDefault(m => m.UserId == caller.UserId && m.Role == SessionRole.Member)?.PartyIndex;
        var problem = PeriodProblem.Of(session, session.CurrentPeriod).Problem;

        var closedRounds = await db.Rounds.AsNoTracking()
            .Where(r => r.SessionId == session.Id && r.State == RoundState.Closed)
            .OrderBy(r => r.Number)
            .Select(r => r.AnalysisJson)
            .ToListAsync(cancellationToken);

        // The latest round, open or closed (the contract): between two rounds and after agreement
        // members still see the round that was last played, with every party's demand.
        var latest = session.Rounds.FirstOrDefault(r => r.State == RoundState.Open)
            ?? (session.CurrentRound > 0
                ? await db.Rounds.AsNoTracking().Include(r => r.Bids)
                    .FirstOrDefaultAsync(r => r.SessionId == session.Id && r.Number == session.CurrentRound, cancellationToken)
                : null);
        RoundView? current = null;
        if (latest is not null)
        {
            var isOpen = latest.State == RoundState.Open;
            var showValues = !isOpen || session.BidMode == BidMode.Open;
            current = new RoundView
            {
                Round = latest.Number,
                State = isOpen ? RoundState.Open : RoundState.Closed,
                OpenedUtc = Utc(latest.OpenedUtc),
                DeadlineUtc = Utc(latest.DeadlineUtc),
                Bids = latest.Bids.OrderBy(b => b.PartyIndex)
                    .Select(b => new RoundBidView { PartyIndex = b.PartyIndex, Demand = showValues || b.PartyIndex == own ? b.Demand : null })
                    .ToList(),
            };
        }

        AgreementView? agreement = null;
        ContractView? contractView = null;
        var contract = await db.Contracts.AsNoTracking().FirstOrDefaultAsync(c => c.SessionId == session.Id, cancellationToken);
        if (contract is not null)
        {
            var agreementRevision = await db.ContractRevisions.AsNoTracking()
                .FirstAsync(r => r.ContractId == contract.Id && r.Number == 0, cancellationToken);
            var inForceSince = await db.ContractRevisions.AsNoTracking()
                .Where(r => r.ContractId == contract.Id && r.Number == contract.CurrentRevision)
                .Select(r => r.CreatedUtc)
                .FirstAsync(cancellationToken);
            var agreedShares = JsonSerializer.Deserialize<double[]>(agreementRevision.SharesJson)!;
            agreement = new AgreementView
            {
                Round = contract.RoundNumber,
                Allocation = agreedShares.Select(s => s * session.Pool).ToArray(),
                Shares = agreedShares,
                ContractId = contract.Id,
                ReachedUtc = Utc(contract.CreatedUtc),
            };
            contractView = new ContractView
            {
                ContractId = contract.Id,
                Revision = contract.CurrentRevision,
                Shares = JsonSerializer.Deserialize<double[]>(contract.SharesJson)!,
                TangibleShares = contract.TangibleSharesJson is null ? null : JsonSerializer.Deserialize<double[]>(contract.TangibleSharesJson),
                EffectiveUtc = Utc(inForceSince),
            };
        }

        return new SessionSnapshot
        {
            SessionId = session.Id,
            Sequence = session.Sequence,
            Name = session.Name,
            State = session.State,
            BidMode = session.BidMode,
            Pool = session.Pool,
            Parties = session.Parties.Select((p, i) => new Wire.PartyView
            {
                Index = p.Index,
                Name = p.Name,
                Category = p.Category,
                Power = problem.Powers[i],
                DisagreementPoint = p.Disagreement,
            }).ToList(),
            OwnPartyIndex = own,
            CurrentRound = current,
            Rounds = closedRounds.Where(j => j is not null).Select(j => JsonSerializer.Deserialize<RoundAnalysisView>(j!, Json)!).ToList(),
            Agreement = agreement,
            Contract = contractView,
            Online = online,
            ServerTimeUtc = now,
        };
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonSetup.Configure(options);
        return options;
    }
}
