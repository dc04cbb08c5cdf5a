
namespace NegotiationHub.Server.Calculators;

/// <summary>
/// MODEL §7(d): the cost-based shares ω and effort-game shares t* to combine with the risk-based
/// shares v, and the coordinator's λ — given directly, or by a consistent 3×3 AHP matrix
/// (order cost, risk, effort), or omitted for equal thirds.
/// </summary>
public sealed record CombineRequest
{
    /// <summary>ω, one per party, ≥ 0, summing to 1 (the <c>shares</c> of <c>cost-allocation</c>).</summary>
    public IReadOnlyList<double>? CostShares { get; init; }

    /// <summary>t*, one per party, ≥ 0, summing to 1 (<c>optimum.shares</c> of <c>effort-game</c>).</summary>
    public IReadOnlyList<double>? EffortShares { get; init; }

    /// <summary>λ_cost ≥ 0.</summary>
    public double? LambdaCost { get; init; }

    /// <summary>λ_risk ≥ 0.</summary>
    public double? LambdaRisk { get; init; }

    /// <summary>λ_effort ≥ 0; the three sum to 1.</summary>
    public double? LambdaEffort { get; init; }

    /// <summary>Instead of the λ: a 3×3 AHP matrix comparing cost, risk and effort; must be consistent (CR &lt; 0.10).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Matrix { get; init; }
}
