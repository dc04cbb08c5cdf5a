namespace NegotiationHub.Data.Entities;

/// <summary>Where a session is in its life.</summary>
public enum SessionState
{
    /// <summary>Being configured; no rounds yet.</summary>
    Draft,

    /// <summary>Rounds may be opened and bid in.</summary>
    Open,

    /// <summary>A round reached agreement; the contract exists.</summary>
    Agreed,

    /// <summary>Closed by the coordinator without agreement.</summary>
    Closed,
}

/// <summary>Whether other parties see a bid's value before the round closes.</summary>
public enum BidMode
{
    /// <summary>Values are hidden until the round closes.</summary>
    Sealed,

    /// <summary>Values are broadcast as bids arrive.</summary>
    Open,
}

/// <summary>A round is open for bids, or closed and analysed.</summary>
public enum RoundState
{
    /// <summary>Accepting bids until every party has bid or the deadline passes.</summary>
    Open,

    /// <summary>Analysed; no more bids.</summary>
    Closed,
}

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

/// <summary>The "3+1" categories of the coordination body.</summary>
public enum PartyCategory
{
    /// <summary>Government.</summary>
    Government,

    /// <summary>Enterprise.</summary>
    Enterprise,

    /// <summary>University or research institute.</summary>
    University,

    /// <summary>Innovator (the "+1").</summary>
    Innovator,

    /// <summary>Any other party.</summary>
    Other,
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
