using NegotiationHub.Bargaining.Power;

namespace NegotiationHub.Server.Calculators;

/// <summary>MODEL §1 input: strengths per party and factor, with common or per-party weights.</summary>
public record BargainingPowerRequest
{
    /// <summary>Strengths I[i][p] &gt; 0 (parties × factors).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Strengths { get; init; }

    /// <summary>Common factor weights π_p, summing to 1.</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>Per-party factor weights π[i][p], each row summing to 1.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? PartyWeights { get; init; }

    /// <summary>Builds the validated input.</summary>
    public BargainingPowerInput ToInput() => new(Strengths, Weights, PartyWeights);
}
