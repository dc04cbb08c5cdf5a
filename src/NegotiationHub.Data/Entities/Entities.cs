using Microsoft.AspNetCore.Identity;
using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Contracts;

namespace NegotiationHub.Data.Entities;

/// <summary>A person with a login.</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>The name shown to others.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>UI language: <c>zh-CN</c> or <c>en</c>.</summary>
    public string PreferredLanguage { get; set; } = "zh-CN";

    /// <summary>Disabled by an admin: cannot sign in, and every cookie of theirs stopped working.</summary>
    public bool Disabled { get; set; }
}

/// <summary>
/// A one-time link that lets someone choose their own password: a new account (with a role, and
/// optionally a session's party) or a password reset of an existing one. Only the token's SHA-256
/// is stored; the link is shown once, to whoever made it.
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token in the link.</summary>
    public string TokenHash { get; set; } = "";

    /// <summary><c>invite</c> (a new account) or <c>reset</c> (a new password for <see cref="UserId"/>).</summary>
    public string Kind { get; set; } = "invite";

    public string UserName { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>The platform role the account gets (invitations).</summary>
    public string Role { get; set; } = "";

    /// <summary>The account a reset is for.</summary>
    public string? UserId { get; set; }

    /// <summary>The session the invitee joins, as a member of <see cref="PartyIndex"/>.</summary>
    public Guid? SessionId { get; set; }

    public int? PartyIndex { get; set; }

    public string CreatedById { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    public DateTime ExpiresUtc { get; set; }

    public DateTime? UsedUtc { get; set; }

    public DateTime? RevokedUtc { get; set; }
}

/// <summary>A negotiation among 2..16 parties over a pool K (and a tangible pool N).</summary>
public sealed class NegotiationSession
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string? Description { get; set; }

    public SessionState State { get; set; }

    public BidMode BidMode { get; set; }

    /// <summary>The intangible pool K &gt; 0.</summary>
    public double Pool { get; set; }

    /// <summary>The tangible pool N ≥ 0.</summary>
    public double TangiblePool { get; set; }

    /// <summary>Default round length in seconds.</summary>
    public int RoundDeadlineSeconds { get; set; }

    /// <summary>λ for auto-concession of late parties (MODEL §4).</summary>
    public double AutoConcessionLambda { get; set; }

    /// <summary>λ for partial-adjustment contract revisions (MODEL §5).</summary>
    public double RevisionLambda { get; set; }

    /// <summary>The latest round number (0 before the first round).</summary>
    public int CurrentRound { get; set; }

    /// <summary>The strength period in force (readings of later periods drive revisions).</summary>
    public int CurrentPeriod { get; set; }

    /// <summary>The last sequence number given to a message of this session.</summary>
    public long Sequence { get; set; }

    /// <summary>The factor AHP matrix the weights came from, if any (JSON).</summary>
    public string? FactorMatrixJson { get; set; }

    public DateTime CreatedUtc { get; set; }

    public string CreatedById { get; set; } = "";

    /// <summary>Optimistic-concurrency token, bumped by every state change.</summary>
    public long Version { get; set; }

    public List<SessionParty> Parties { get; set; } = [];

    public List<SessionFactor> Factors { get; set; } = [];

    public List<StrengthReading> Strengths { get; set; } = [];

    public List<SessionMembership> Members { get; set; } = [];

    public List<Round> Rounds { get; set; } = [];
}

/// <summary>One party of a session, with its utility and disagreement point (MODEL §2).</summary>
public sealed class SessionParty
{
    public Guid SessionId { get; set; }

    public int Index { get; set; }

    public string Name { get; set; } = "";

    public PartyCategory Category { get; set; }

    public UtilityKind UtilityKind { get; set; }

    /// <summary>α, s or ρ, by kind.</summary>
    public double? UtilityParameter { get; set; }

    /// <summary>d_i ≥ 0.</summary>
    public double Disagreement { get; set; }
}

/// <summary>A bargaining-power factor with its weight π_p (MODEL §1).</summary>
public sealed class SessionFactor
{
    public Guid SessionId { get; set; }

    public int Index { get; set; }

    public string Name { get; set; } = "";

    public double Weight { get; set; }
}

/// <summary>A strength I[i][p] recorded for a contract period.</summary>
public sealed class StrengthReading
{
    public long Id { get; set; }

    public Guid SessionId { get; set; }

    public int Period { get; set; }

    public int PartyIndex { get; set; }

    public int FactorIndex { get; set; }

    public double Value { get; set; }

    public DateTime RecordedUtc { get; set; }

    public string RecordedById { get; set; } = "";
}

/// <summary>A user's role in a session; members belong to exactly one party.</summary>
public sealed class SessionMembership
{
    public Guid SessionId { get; set; }

    public string UserId { get; set; } = "";

    public SessionRole Role { get; set; }

    public int? PartyIndex { get; set; }

    public DateTime AddedUtc { get; set; }
}

/// <summary>A bargaining round and, once closed, its analysis (MODEL §4).</summary>
public sealed class Round
{
    public Guid SessionId { get; set; }

    public int Number { get; set; }

    public RoundState State { get; set; }

    /// <summary>The strength period the round's powers come from.</summary>
    public int Period { get; set; }

    public DateTime OpenedUtc { get; set; }

    public DateTime DeadlineUtc { get; set; }

    public DateTime? ClosedUtc { get; set; }

    public RoundCloseReason? CloseReason { get; set; }

    /// <summary>The full round analysis as sent in <c>RoundClosed</c> (JSON).</summary>
    public string? AnalysisJson { get; set; }

    public bool? Compatible { get; set; }

    public double? NashEfficiency { get; set; }

    public double? Distance { get; set; }

    public List<Bid> Bids { get; set; } = [];
}

/// <summary>A party's demand in a round. The key is the client's bidId, which makes submission idempotent.</summary>
public sealed class Bid
{
    public Guid Id { get; set; }

    public Guid SessionId { get; set; }

    public int RoundNumber { get; set; }

    public int PartyIndex { get; set; }

    public double Demand { get; set; }

    /// <summary>An optional full proposed split (JSON array).</summary>
    public string? ProposalJson { get; set; }

    /// <summary>The member who bid; null for an auto-concession.</summary>
    public string? SubmittedById { get; set; }

    public DateTime SubmittedUtc { get; set; }

    public bool AutoConceded { get; set; }

    /// <summary>
    /// The session sequence number of the <c>BidAccepted</c> message this bid produced, so a resent
    /// bid id is acknowledged with its original sequence (the hub contract); null for an
    /// auto-concession (it produces no <c>BidAccepted</c>) and for bids stored before 2026-12-06.
    /// </summary>
    public long? Sequence { get; set; }
}

/// <summary>The contract an agreement creates; its shares change only through revisions.</summary>
public sealed class Contract
{
    public Guid Id { get; set; }

    public Guid SessionId { get; set; }

    public int RoundNumber { get; set; }

    public DateTime CreatedUtc { get; set; }

    public int CurrentRevision { get; set; }

    /// <summary>Intangible shares s_i (JSON array summing to 1).</summary>
    public string SharesJson { get; set; } = "[]";

    /// <summary>Tangible shares (MODEL §7), once set (JSON array).</summary>
    public string? TangibleSharesJson { get; set; }

    /// <summary>Optimistic-concurrency token: two revisions at once → one wins.</summary>
    public long Version { get; set; }

    public List<ContractRevisionRecord> Revisions { get; set; } = [];
}

/// <summary>One revision of a contract, kept forever (revision 0 is the agreement).</summary>
public sealed class ContractRevisionRecord
{
    public Guid ContractId { get; set; }

    public int Number { get; set; }

    /// <summary>Agreement, Revision or Tangible.</summary>
    public string Kind { get; set; } = "";

    public int Period { get; set; }

    public string SharesJson { get; set; } = "[]";

    public string? TangibleSharesJson { get; set; }

    /// <summary>The NBS shares s* under the period's strengths (JSON).</summary>
    public string OptimumJson { get; set; } = "[]";

    /// <summary>The bargaining powers behind the optimum (JSON).</summary>
    public string PowersJson { get; set; } = "[]";

    /// <summary>The strengths behind the powers (JSON, parties × factors).</summary>
    public string? StrengthsJson { get; set; }

    public double? Lambda { get; set; }

    public DateTime CreatedUtc { get; set; }

    public string? CreatedById { get; set; }
}

/// <summary>
/// One link of the tamper-evident audit chain: SHA-256 over the canonical JSON of the entry and
/// the previous entry's hash. Append-only for the application.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>The chain: a session id, or <c>global</c>.</summary>
    public string Chain { get; set; } = "";

    /// <summary>1, 2, 3… within the chain.</summary>
    public long Sequence { get; set; }

    public DateTime TimeUtc { get; set; }

    public string Actor { get; set; } = "";

    public string Type { get; set; } = "";

    public string PayloadJson { get; set; } = "{}";

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";
}
