namespace NegotiationHub.Contracts;

/// <summary>Someone joined or left the session's live room (broadcast).</summary>
public sealed record PresenceChanged : ISessionMessage
{
    /// <inheritdoc />
    public required Guid SessionId { get; init; }

    /// <summary>
    /// The session's latest state sequence, NOT advanced by presence: presence is not part of the
    /// session's history, so clients neither drop it as stale nor treat it as a gap.
    /// </summary>
    public required long Sequence { get; init; }

    /// <summary>Everyone in the live room now (the whole list, not a delta).</summary>
    public required IReadOnlyList<MemberPresence> Online { get; init; }
}

/// <summary>A user in a session's live room.</summary>
public sealed record MemberPresence
{
    /// <summary>The user's name.</summary>
    public required string UserName { get; init; }

    /// <summary>The party the user bids for, or null for a coordinator or auditor.</summary>
    public int? PartyIndex { get; init; }
}
