using Microsoft.EntityFrameworkCore;
using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Data.Entities;
using NegotiationHub.Contracts;

namespace NegotiationHub.Data.Audit;

/// <summary>
/// A session's whole history as an auditor takes it away: the records and the audit chain that
/// vouches for them. <see cref="ImportAsync"/> writes it into an empty database, where
/// <see cref="AuditVerifier"/> must find it intact.
/// </summary>
public sealed record HistoryExport
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public required ExportedSession Session { get; init; }

    public required IReadOnlyList<ExportedParty> Parties { get; init; }

    public required IReadOnlyList<ExportedFactor> Factors { get; init; }

    public required IReadOnlyList<ExportedStrength> Strengths { get; init; }

    /// <summary>Who holds which role and party (absent from exports made before 2026-12-06).</summary>
    public IReadOnlyList<ExportedMember>? Members { get; init; }

    public required IReadOnlyList<ExportedRound> Rounds { get; init; }

    public required IReadOnlyList<ExportedBid> Bids { get; init; }

    public ExportedContract? Contract { get; init; }

    public required IReadOnlyList<ExportedRevision> Revisions { get; init; }

    public required IReadOnlyList<ExportedAuditEntry> AuditEntries { get; init; }

    /// <summary>Reads a session's history from the database.</summary>
    public static async Task<HistoryExport?> LoadAsync(NegotiationDbContext db, Guid sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var s = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == sessionId, cancellationToken);
        if (s is null)
        {
            return null;
        }

        var contract = await db.Contracts.AsNoTracking().FirstOrDefaultAsync(c => c.SessionId == sessionId, cancellationToken);
        var chain = AuditChain.ForSession(sessionId);
        return new HistoryExport
        {
            Session = new ExportedSession(s.Id, s.Name, s.Description, s.State, s.BidMode, s.Pool, s.TangiblePool, s.RoundDeadlineSeconds,
                s.AutoConcessionLambda, s.RevisionLambda, s.CurrentRound, s.CurrentPeriod, s.Sequence, s.FactorMatrixJson, s.CreatedUtc, s.CreatedById),
            Parties = await db.Parties.AsNoTracking().Where(p => p.SessionId == sessionId).OrderBy(p => p.Index)
                .Select(p => new ExportedParty(p.Index, p.Name, p.Category, p.UtilityKind, p.UtilityParameter, p.Disagreement)).ToListAsync(cancellationToken),
            Factors = await db.Factors.AsNoTracking().Where(f => f.SessionId == sessionId).OrderBy(f => f.Index)
                .Select(f => new ExportedFactor(f.Index, f.Name, f.Weight)).ToListAsync(cancellationToken),
            Strengths = await db.StrengthReadings.AsNoTracking().Where(r => r.SessionId == sessionId).OrderBy(r => r.Period).ThenBy(r => r.PartyIndex).ThenBy(r => r.FactorIndex)
                .Select(r => new ExportedStrength(r.Period, r.PartyIndex, r.FactorIndex, r.Value, r.RecordedUtc, r.RecordedById)).ToListAsync(cancellationToken),
            Members = await db.Memberships.AsNoTracking().Where(m => m.SessionId == sessionId).OrderBy(m => m.UserId)
                .Select(m => new ExportedMember(m.UserId, m.Role, m.PartyIndex, m.AddedUtc)).ToListAsync(cancellationToken),
            Rounds = await db.Rounds.AsNoTracking().Where(r => r.SessionId == sessionId).OrderBy(r => r.Number)
                .Select(r => new ExportedRound(r.Number, r.State, r.Period, r.OpenedUtc, r.DeadlineUtc, r.ClosedUtc, r.CloseReason, r.AnalysisJson, r.Compatible, r.NashEfficiency, r.Distance))
                .ToListAsync(cancellationToken),
            Bids = await db.Bids.AsNoTracking().Where(b => b.SessionId == sessionId).OrderBy(b => b.RoundNumber).ThenBy(b => b.PartyIndex)
                .Select(b => new ExportedBid(b.Id, b.RoundNumber, b.PartyIndex, b.Demand, b.ProposalJson, b.SubmittedById, b.SubmittedUtc, b.AutoConceded, b.Sequence)).ToListAsync(cancellationToken),
            Contract = contract is null ? null : new ExportedContract(contract.Id, contract.RoundNumber, contract.CreatedUtc, contract.CurrentRevision, contract.SharesJson, contract.TangibleSharesJson, contract.Version),
            Revisions = contract is null ? [] : await db.ContractRevisions.AsNoTracking().Where(r => r.ContractId == contract.Id).OrderBy(r => r.Number)
                .Select(r => new ExportedRevision(r.Number, r.Kind, r.Period, r.SharesJson, r.TangibleSharesJson, r.OptimumJson, r.PowersJson, r.StrengthsJson, r.Lambda, r.CreatedUtc, r.CreatedById))
                .ToListAsync(cancellationToken),
            AuditEntries = await db.AuditEntries.AsNoTracking().Where(e => e.Chain == chain).OrderBy(e => e.Sequence)
                .Select(e => new ExportedAuditEntry(e.Sequence, e.TimeUtc, e.Actor, e.Type, e.PayloadJson, e.PreviousHash, e.Hash)).ToListAsync(cancellationToken),
        };
    }

    /// <summary>Writes the history into a database that does not hold this session yet.</summary>
    public async Task ImportAsync(NegotiationDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (Format != CurrentFormat)
        {
            throw new InvalidOperationException($"Export format {Format} is not supported (expected {CurrentFormat}).");
        }

        // The entries already carry the records of the rows they vouch for.
        db.RecordsAuditedRows = false;
        var id = Session.Id;
        var s = Session;
        db.Sessions.Add(new NegotiationSession
        {
            Id = id, Name = s.Name, Description = s.Description, State = s.State, BidMode = s.BidMode, Pool = s.Pool, TangiblePool = s.TangiblePool,
            RoundDeadlineSeconds = s.RoundDeadlineSeconds, AutoConcessionLambda = s.AutoConcessionLambda, RevisionLambda = s.RevisionLambda,
            CurrentRound = s.CurrentRound, CurrentPeriod = s.CurrentPeriod, Sequence = s.Sequence, FactorMatrixJson = s.FactorMatrixJson,
            CreatedUtc = s.CreatedUtc, CreatedById = s.CreatedById,
        });
        db.Parties.AddRange(Parties.Select(p => new SessionParty { SessionId = id, Index = p.Index, Name = p.Name, Category = p.Category, UtilityKind = p.UtilityKind, UtilityParameter = p.UtilityParameter, Disagreement = p.Disagreement }));
        db.Factors.AddRange(Factors.Select(f => new SessionFactor { SessionId = id, Index = f.Index, Name = f.Name, Weight = f.Weight }));
        db.StrengthReadings.AddRange(Strengths.Select(r => new StrengthReading { SessionId = id, Period = r.Period, PartyIndex = r.PartyIndex, FactorIndex = r.FactorIndex, Value = r.Value, RecordedUtc = r.RecordedUtc, RecordedById = r.RecordedById }));
        db.Rounds.AddRange(Rounds.Select(r => new Round
        {
            SessionId = id, Number = r.Number, State = r.State, Period = r.Period, OpenedUtc = r.OpenedUtc, DeadlineUtc = r.DeadlineUtc, ClosedUtc = r.ClosedUtc,
            CloseReason = r.CloseReason, AnalysisJson = r.AnalysisJson, Compatible = r.Compatible, NashEfficiency = r.NashEfficiency, Distance = r.Distance,
        }));
        db.Bids.AddRange(Bids.Select(b => new Bid { Id = b.BidId, SessionId = id, RoundNumber = b.Round, PartyIndex = b.PartyIndex, Demand = b.Demand, ProposalJson = b.ProposalJson, SubmittedById = b.SubmittedById, SubmittedUtc = b.SubmittedUtc, AutoConceded = b.AutoConceded, Sequence = b.Sequence }));
        // A membership names a user; the export carries ids, not accounts, so the users are stand-ins.
        foreach (var userId in (Members ?? []).Select(m => m.UserId).Distinct())
        {
            if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
            {
                db.Users.Add(new AppUser { Id = userId, UserName = "exported-" + userId, NormalizedUserName = "EXPORTED-" + userId.ToUpperInvariant(), DisplayName = userId });
            }
        }

        db.Memberships.AddRange((Members ?? []).Select(m => new SessionMembership { SessionId = id, UserId = m.UserId, Role = m.Role, PartyIndex = m.PartyIndex, AddedUtc = m.AddedUtc }));
        if (Contract is { } c)
        {
            db.Contracts.Add(new Contract { Id = c.Id, SessionId = id, RoundNumber = c.Round, CreatedUtc = c.CreatedUtc, CurrentRevision = c.CurrentRevision, SharesJson = c.SharesJson, TangibleSharesJson = c.TangibleSharesJson, Version = c.Version });
            db.ContractRevisions.AddRange(Revisions.Select(r => new ContractRevisionRecord
            {
                ContractId = c.Id, Number = r.Number, Kind = r.Kind, Period = r.Period, SharesJson = r.SharesJson, TangibleSharesJson = r.TangibleSharesJson,
                OptimumJson = r.OptimumJson, PowersJson = r.PowersJson, StrengthsJson = r.StrengthsJson, Lambda = r.Lambda, CreatedUtc = r.CreatedUtc, CreatedById = r.CreatedById,
            }));
        }

        var chain = AuditChain.ForSession(id);
        db.AuditEntries.AddRange(AuditEntries.Select(e => new AuditEntry { Chain = chain, Sequence = e.Sequence, TimeUtc = e.TimeUtc, Actor = e.Actor, Type = e.Type, PayloadJson = e.PayloadJson, PreviousHash = e.PreviousHash, Hash = e.Hash }));
        await db.SaveChangesAsync(cancellationToken);
    }
}

public sealed record ExportedSession(Guid Id, string Name, string? Description, SessionState State, BidMode BidMode, double Pool, double TangiblePool, int RoundDeadlineSeconds,
    double AutoConcessionLambda, double RevisionLambda, int CurrentRound, int CurrentPeriod, long Sequence, string? FactorMatrixJson, DateTime CreatedUtc, string CreatedById);

public sealed record ExportedParty(int Index, string Name, PartyCategory Category, UtilityKind UtilityKind, double? UtilityParameter, double Disagreement);

public sealed record ExportedFactor(int Index, string Name, double Weight);

public sealed record ExportedStrength(int Period, int PartyIndex, int FactorIndex, double Value, DateTime RecordedUtc, string RecordedById);

public sealed record ExportedRound(int Number, RoundState State, int Period, DateTime OpenedUtc, DateTime DeadlineUtc, DateTime? ClosedUtc, RoundCloseReason? CloseReason,
    string? AnalysisJson, bool? Compatible, double? NashEfficiency, double? Distance);

public sealed record ExportedBid(Guid BidId, int Round, int PartyIndex, double Demand, string? ProposalJson, string? SubmittedById, DateTime SubmittedUtc, bool AutoConceded, long? Sequence = null);

public sealed record ExportedMember(string UserId, SessionRole Role, int? PartyIndex, DateTime AddedUtc);

public sealed record ExportedContract(Guid Id, int Round, DateTime CreatedUtc, int CurrentRevision, string SharesJson, string? TangibleSharesJson, long Version);

public sealed record ExportedRevision(int Number, string Kind, int Period, string SharesJson, string? TangibleSharesJson, string OptimumJson, string PowersJson, string? StrengthsJson,
    double? Lambda, DateTime CreatedUtc, string? CreatedById);

public sealed record ExportedAuditEntry(long Sequence, DateTime TimeUtc, string Actor, string Type, string PayloadJson, string PreviousHash, string Hash);
