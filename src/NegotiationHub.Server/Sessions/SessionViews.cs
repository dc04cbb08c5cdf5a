using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Sessions;

public sealed record PartyView(int Index, string Name, PartyCategory Category, UtilityKind UtilityKind, double? UtilityParameter, double Disagreement);

public sealed record FactorView(int Index, string Name, double Weight);

public sealed record MemberView(string UserId, string UserName, string DisplayName, SessionRole Role, int? PartyIndex);

public sealed record RoundSummary(int Number, RoundState State, DateTime OpenedUtc, DateTime DeadlineUtc, DateTime? ClosedUtc, RoundCloseReason? CloseReason, bool? Compatible, double? NashEfficiency, double? Distance);

/// <summary>A session in a listing, with the caller's own role in it.</summary>
public sealed record SessionSummary(Guid Id, string Name, SessionState State, BidMode BidMode, int Parties, int CurrentRound, DateTime CreatedUtc, SessionRole? MyRole, int? MyParty);

/// <summary>Everything about a session that its participants may read.</summary>
public sealed record SessionDetail(
    Guid Id,
    string Name,
    string? Description,
    SessionState State,
    BidMode BidMode,
    double Pool,
    double TangiblePool,
    int RoundDeadlineSeconds,
    double AutoConcessionLambda,
    double RevisionLambda,
    int CurrentPeriod,
    int CurrentRound,
    IReadOnlyList<PartyView> Parties,
    IReadOnlyList<FactorView> Factors,
    IReadOnlyList<IReadOnlyList<double>>? FactorMatrix,
    IReadOnlyList<IReadOnlyList<double>> Strengths,
    IReadOnlyList<double> Powers,
    IReadOnlyList<double> TargetAllocation,
    IReadOnlyList<MemberView> Members,
    IReadOnlyList<RoundSummary> Rounds,
    DateTime CreatedUtc,
    SessionRole? MyRole,
    int? MyParty);
