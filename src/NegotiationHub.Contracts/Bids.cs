namespace NegotiationHub.Contracts;

/// <summary>A party's bid for a round (the argument of <see cref="INegotiationHub.SubmitBid"/>).</summary>
public sealed record BidSubmission
{
    /// <summary>Chosen by the client, new for each distinct bid; resubmitting the same id is a no-op that returns the original acknowledgement.</summary>
    public required Guid BidId { get; init; }

    /// <summary>The round bid in (1-based); must be the session's open round.</summary>
    public required int Round { get; init; }

    /// <summary>D_i, the share of the pool K the party demands: finite, in [d_i, K] (MODEL §4).</summary>
    public required double Demand { get; init; }

    /// <summary>Optionally a full proposed split: one amount per party (by index), each finite and ≥ 0, summing to K.</summary>
    public IReadOnlyList<double>? Proposal { get; init; }
}

/// <summary>The server's acknowledgement of a committed bid (the result of <see cref="INegotiationHub.SubmitBid"/>).</summary>
public sealed record BidAck
{
    /// <summary>The session bid in.</summary>
    public required Guid SessionId { get; init; }

    /// <summary>The acknowledged bid's id, as submitted.</summary>
    public required Guid BidId { get; init; }

    /// <summary>The round the bid counts for.</summary>
    public required int Round { get; init; }

    /// <summary>The party the bid was recorded for (the caller's party).</summary>
    public required int PartyIndex { get; init; }

    /// <summary>True when this bid id had already been committed: the bid had no second effect.</summary>
    public required bool Duplicate { get; init; }

    /// <summary>The sequence number of the <see cref="BidAccepted"/> broadcast the bid produced (the original one for a duplicate).</summary>
    public required long Sequence { get; init; }
}
