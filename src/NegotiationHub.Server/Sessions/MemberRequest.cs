using NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Sessions;

/// <summary>Adds a user to a session.</summary>
public sealed record MemberRequest
{
    /// <summary>The user's login name.</summary>
    public string? UserName { get; init; }

    /// <summary>member (default), coordinator or auditor.</summary>
    public SessionRole? Role { get; init; }

    /// <summary>The party a member bids for (0-based); required for members.</summary>
    public int? PartyIndex { get; init; }
}
