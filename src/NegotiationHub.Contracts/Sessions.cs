using System.Text.Json.Serialization;

namespace NegotiationHub.Contracts;

/// <summary>Which side of the "3+1" coordination body a party belongs to.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<PartyCategory>))]
public enum PartyCategory
{
    /// <summary>Government.</summary>
    Government,

    /// <summary>An enterprise.</summary>
    Enterprise,

    /// <summary>A university or research institute.</summary>
    University,

    /// <summary>An innovator (the "+1").</summary>
    Innovator,

    /// <summary>Any other party (sessions are not limited to the 3+1 template).</summary>
    Other,
}

/// <summary>Where a session is in its life.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<SessionState>))]
public enum SessionState
{
    /// <summary>Being set up by the coordinator; no rounds yet.</summary>
    Draft,

    /// <summary>Open for bargaining: the coordinator opens and closes rounds.</summary>
    Open,

    /// <summary>An agreement was reached and a contract made; the contract may still be revised.</summary>
    Agreed,

    /// <summary>Closed by the coordinator; read-only.</summary>
    Closed,
}

/// <summary>Whether the parties see each other's demands while a round is open.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<BidMode>))]
public enum BidMode
{
    /// <summary>Demands stay hidden until the round closes; only who has bid is shown.</summary>
    Sealed,

    /// <summary>Every demand is shown as soon as it is committed.</summary>
    Open,
}

/// <summary>
/// The full state of a session as one member sees it: the answer to
/// <see cref="INegotiationHub.JoinSession"/> and the message of <see cref="INegotiationClient.SessionSnapshot"/>.
/// Applying it replaces whatever the client knew about the session.
/// </summary>
public sealed record SessionSnapshot : ISessionMessage
{
    /// <inheritdoc />
    public required Guid SessionId { get; init; }

    /// <summary>The sequence number of the last message whose effect this snapshot includes; the next broadcast is <c>Sequence + 1</c>.</summary>
    public required long Sequence { get; init; }

    /// <summary>The session's display name.</summary>
    public required string Name { get; init; }

    /// <summary>Where the session is in its life.</summary>
    public required SessionState State { get; init; }

    /// <summary>Sealed or open bids, fixed when the session is set up.</summary>
    public required BidMode BidMode { get; init; }

    /// <summary>K, the intangible pool being divided (MODEL §2–4); demands lie in [d_i, K].</summary>
    public required double Pool { get; init; }

    /// <summary>The parties, ordered by <see cref="PartyView.Index"/>; every per-party list in the contract uses the same order.</summary>
    public required IReadOnlyList<PartyView> Parties { get; init; }

    /// <summary>The party the caller bids for, or null when the caller is not a member of a party (coordinator, auditor).</summary>
    public int? OwnPartyIndex { get; init; }

    /// <summary>The latest round (open or closed), or null before the first round is opened.</summary>
    public RoundView? CurrentRound { get; init; }

    /// <summary>The analyses of every closed round, oldest first.</summary>
    public required IReadOnlyList<RoundAnalysisView> Rounds { get; init; }

    /// <summary>The agreement, once reached.</summary>
    public AgreementView? Agreement { get; init; }

    /// <summary>The contract's latest revision, once an agreement has made one.</summary>
    public ContractView? Contract { get; init; }

    /// <summary>Who is in the live room now.</summary>
    public required IReadOnlyList<MemberPresence> Online { get; init; }

    /// <summary>The server's clock when the snapshot was taken, so a client can show deadlines despite clock skew.</summary>
    public required DateTimeOffset ServerTimeUtc { get; init; }
}

/// <summary>A party to the negotiation, as members see it.</summary>
public sealed record PartyView
{
    /// <summary>The party's position (0-based) in every per-party list of the session.</summary>
    public required int Index { get; init; }

    /// <summary>The party's display name.</summary>
    public required string Name { get; init; }

    /// <summary>Which side of the 3+1 body the party is.</summary>
    public required PartyCategory Category { get; init; }

    /// <summary>h_i, the party's current bargaining power (MODEL §1): in (0, 1), summing to 1 over the parties.</summary>
    public required double Power { get; init; }

    /// <summary>d_i, what the party keeps if talks break down (MODEL §2); its demand may not go below it.</summary>
    public required double DisagreementPoint { get; init; }
}
