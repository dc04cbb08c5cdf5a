using NegotiationHub.Data.Entities;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Sessions;

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
