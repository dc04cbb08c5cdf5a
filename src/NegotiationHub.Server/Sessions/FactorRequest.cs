
namespace NegotiationHub.Server.Sessions;

/// <summary>A bargaining-power factor in a session set-up request.</summary>
public sealed record FactorRequest
{
    public string? Name { get; init; }

    /// <summary>π_p; omit all weights to give a <c>factorMatrix</c> (AHP) or to get equal weights.</summary>
    public double? Weight { get; init; }
}
