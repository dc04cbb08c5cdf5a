
namespace NegotiationHub.Server.Agreements;

/// <summary>MODEL §7(b): costs per party, stage and resource, with contribution degrees given directly or by several experts (GEM).</summary>
public sealed record TangibleCostRequest
{
    /// <summary>C[i][j][o] ≥ 0, indexed [party][stage][resource], one row per party of the session.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? Costs { get; init; }

    /// <summary>P[i][j][o] ≥ 0, the shape of <see cref="Costs"/>; or give <see cref="ExpertScores"/>.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? ContributionDegrees { get; init; }

    /// <summary>
    /// Instead of <see cref="ContributionDegrees"/>: each expert's table of contribution-degree
    /// scores ≥ 0, [expert][party][stage][resource]; MODEL §6's GEM aggregates them into P
    /// (at most 64 cells per table).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>>? ExpertScores { get; init; }

    /// <summary>r in [0, 1]: stage j (1-based) of m counts (1 + r)^(m + 1 − j).</summary>
    public double? Rate { get; init; }
}
