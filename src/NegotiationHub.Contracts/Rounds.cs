using System.Text.Json.Serialization;

namespace NegotiationHub.Contracts;

/// <summary>Whether a round still takes bids.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<RoundState>))]
public enum RoundState
{
    /// <summary>Taking bids until its deadline or until the coordinator closes it.</summary>
    Open,

    /// <summary>Closed and analysed.</summary>
    Closed,
}

/// <summary>A round was opened (broadcast, and the result of <see cref="INegotiationHub.OpenRound"/>).</summary>
public sealed record RoundOpened : ISessionMessage
{
    /// <inheritdoc />
    public required Guid SessionId { get; init; }

    /// <inheritdoc />
    public required long Sequence { get; init; }

    /// <summary>The round's number (1-based).</summary>
    public required int Round { get; init; }

    /// <summary>When the round was opened (server clock).</summary>
    public required DateTimeOffset OpenedUtc { get; init; }

    /// <summary>When the round closes by itself; parties that have not bid by then are auto-conceded (MODEL §4).</summary>
    public required DateTimeOffset DeadlineUtc { get; init; }
}

/// <summary>A party's bid was committed (broadcast).</summary>
public sealed record BidAccepted : ISessionMessage
{
    /// <inheritdoc />
    public required Guid SessionId { get; init; }

    /// <inheritdoc />
    public required long Sequence { get; init; }

    /// <summary>The round the bid counts for.</summary>
    public required int Round { get; init; }

    /// <summary>The party that bid.</summary>
    public required int PartyIndex { get; init; }

    /// <summary>The bid's id (lets the bidder match the broadcast to its acknowledgement).</summary>
    public required Guid BidId { get; init; }

    /// <summary>D_i, or null when bids are sealed (revealed by <see cref="RoundClosed"/>).</summary>
    public double? Demand { get; init; }

    /// <summary>The proposed split, or null when bids are sealed or the party proposed none.</summary>
    public IReadOnlyList<double>? Proposal { get; init; }
}

/// <summary>A round was closed and analysed (broadcast, and the result of <see cref="INegotiationHub.CloseRound"/>).</summary>
public sealed record RoundClosed : ISessionMessage
{
    /// <inheritdoc />
    public required Guid SessionId { get; init; }

    /// <inheritdoc />
    public required long Sequence { get; init; }

    /// <summary>The round's analysis, every demand revealed.</summary>
    public required RoundAnalysisView Analysis { get; init; }
}

/// <summary>The analysis of one closed round (MODEL §4).</summary>
public sealed record RoundAnalysisView
{
    /// <summary>The round's number (1-based).</summary>
    public required int Round { get; init; }

    /// <summary>When the round was closed (server clock).</summary>
    public required DateTimeOffset ClosedUtc { get; init; }

    /// <summary>Per party, ordered by index: its demand and where it stands.</summary>
    public required IReadOnlyList<PartyRoundView> Parties { get; init; }

    /// <summary>g = Σ D_i − K; ≤ 0 means the demands are compatible.</summary>
    public required double Gap { get; init; }

    /// <summary>True when g ≤ 0: the round produced an agreement (an <see cref="AgreementReached"/> follows).</summary>
    public required bool Compatible { get; init; }

    /// <summary>The parties that must concede next: those with the largest ρ_i (all of them on a tie); empty when compatible.</summary>
    public required IReadOnlyList<int> MustConcede { get; init; }

    /// <summary>Σ|D_i − k*_i| / K, how far the demands are from the Nash bargaining solution.</summary>
    public required double Distance { get; init; }

    /// <summary>NP(k̃)/NP(k*) in [0, 1], the Nash product of the demands projected onto the feasible set over the optimum's; 1 exactly at the NBS.</summary>
    public required double NashEfficiency { get; init; }

    /// <summary>(max ρ − min ρ)/mean ρ; 0 when every q_i/h_i is equal, the NBS's end condition.</summary>
    public required double RatioSpread { get; init; }
}

/// <summary>One party's figures in a round's analysis (MODEL §3–4).</summary>
public sealed record PartyRoundView
{
    /// <summary>The party's index.</summary>
    public required int PartyIndex { get; init; }

    /// <summary>h_i, the party's bargaining power in this round (MODEL §1).</summary>
    public required double Power { get; init; }

    /// <summary>D_i, the demand that counted (after auto-concession if the party missed the deadline).</summary>
    public required double Demand { get; init; }

    /// <summary>q_i(D_i), the party's fear of breakdown at its demand (MODEL §2).</summary>
    public required double FearOfBreakdown { get; init; }

    /// <summary>ρ_i = q_i(D_i)/h_i; the largest must concede.</summary>
    public required double Ratio { get; init; }

    /// <summary>k*_i, the party's amount in the Nash bargaining solution (MODEL §3).</summary>
    public required double Target { get; init; }

    /// <summary>True when the party missed the deadline and its demand was moved toward k*_i by the session's policy.</summary>
    public required bool AutoConceded { get; init; }

    /// <summary>
    /// The model's next demand for the party, D_i + λ(k*_i − D_i) with the session's auto-concession λ
    /// (MODEL §4): what auto-concession would set next round, offered to the member as a suggestion.
    /// Null only from servers older than this field.
    /// </summary>
    public double? NextDemand { get; init; }
}

/// <summary>The latest round in a <see cref="SessionSnapshot"/>.</summary>
public sealed record RoundView
{
    /// <summary>The round's number (1-based).</summary>
    public required int Round { get; init; }

    /// <summary>Open or closed.</summary>
    public required RoundState State { get; init; }

    /// <summary>When the round was opened (server clock).</summary>
    public required DateTimeOffset OpenedUtc { get; init; }

    /// <summary>When the round closes (or closed) by itself.</summary>
    public required DateTimeOffset DeadlineUtc { get; init; }

    /// <summary>The parties that have bid in this round so far, by index.</summary>
    public required IReadOnlyList<RoundBidView> Bids { get; init; }
}

/// <summary>A party's bid in the latest round, as the caller may see it.</summary>
public sealed record RoundBidView
{
    /// <summary>The party that bid.</summary>
    public required int PartyIndex { get; init; }

    /// <summary>D_i; null while bids are sealed and the round is open, except for the caller's own party.</summary>
    public double? Demand { get; init; }
}
