using NegotiationHub.Server.Calculators;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Sessions;

/// <summary>A party in a session set-up request.</summary>
public sealed record PartyRequest
{
    public string? Name { get; init; }

    public PartyCategory? Category { get; init; }

    /// <summary>The party's utility; omitted means linear.</summary>
    public UtilitySpec? Utility { get; init; }

    /// <summary>d_i ≥ 0; omitted means 0.</summary>
    public double? Disagreement { get; init; }
}
