
namespace NegotiationHub.Server.Calculators;

/// <summary>MODEL §7(b) input: costs and contribution degrees per party, stage and resource.</summary>
public sealed record CostAllocationRequest
{
    /// <summary>C[i][j][o] ≥ 0, indexed [party][stage][resource].</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? Costs { get; init; }

    /// <summary>P[i][j][o] ≥ 0, the same shape as <see cref="Costs"/>.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? ContributionDegrees { get; init; }

    /// <summary>r in [0, 1]: the per-stage rate; stage j (1-based) counts (1 + r)^(m + 1 − j).</summary>
    public double? Rate { get; init; }

    /// <summary>N ≥ 0: the tangible benefit to split.</summary>
    public double? Pool { get; init; }
}
