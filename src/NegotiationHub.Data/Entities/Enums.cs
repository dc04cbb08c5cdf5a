namespace NegotiationHub.Data.Entities;

/// <summary>Why a round closed.</summary>
public enum RoundCloseReason
{
    /// <summary>Every party bid.</summary>
    AllBid,

    /// <summary>The deadline passed; late parties were auto-conceded.</summary>
    Deadline,

    /// <summary>The coordinator closed it; parties that had not bid were auto-conceded.</summary>
    Coordinator,
}

/// <summary>A user's role in one session.</summary>
public enum SessionRole
{
    /// <summary>Runs the session.</summary>
    Coordinator,

    /// <summary>Bids for one party.</summary>
    Member,

    /// <summary>Reads everything, writes nothing.</summary>
    Auditor,
}
