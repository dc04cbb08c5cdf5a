using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Allocation;

/// <summary>
/// The coordinator's weights λ of the three tangible shares in MODEL §7(d): λ ≥ 0, Σ λ = 1.
/// Validated on construction; stored rescaled to sum exactly 1.
/// </summary>
public sealed record AllocationWeights
{
    /// <summary>Creates and validates the weights.</summary>
    /// <param name="lambdaCost">λ_cost ≥ 0: weight of the cost-based share ω.</param>
    /// <param name="lambdaRisk">λ_risk ≥ 0: weight of the risk-based share v.</param>
    /// <param name="lambdaEffort">λ_effort ≥ 0: weight of the effort-game share t*.</param>
    /// <exception cref="ModelValidationException">
    /// Field <c>lambdaCost</c>, <c>lambdaRisk</c> or <c>lambdaEffort</c> (not finite or negative);
    /// all three (one error each) when they do not sum to 1 within <see cref="Guard.SumTolerance"/>.
    /// </exception>
    public AllocationWeights(double lambdaCost, double lambdaRisk, double lambdaEffort)
    {
        Guard.NonNegative(lambdaCost, "lambdaCost");
        Guard.NonNegative(lambdaRisk, "lambdaRisk");
        Guard.NonNegative(lambdaEffort, "lambdaEffort");
        var sum = lambdaCost + lambdaRisk + lambdaEffort;
        if (Math.Abs(sum - 1) > Guard.SumTolerance)
        {
            var message = $"lambdaCost + lambdaRisk + lambdaEffort must equal 1 (sums to {Guard.Format(sum)})";
            throw new ModelValidationException(
                [new FieldError("lambdaCost", message), new FieldError("lambdaRisk", message), new FieldError("lambdaEffort", message)]);
        }

        LambdaCost = lambdaCost / sum;
        LambdaRisk = lambdaRisk / sum;
        LambdaEffort = lambdaEffort / sum;
    }

    /// <summary>MODEL §7(d)'s default: equal thirds.</summary>
    public static AllocationWeights EqualThirds { get; } = new(1.0 / 3, 1.0 / 3, 1.0 / 3);

    /// <summary>λ_cost, the weight of the cost-based share.</summary>
    public double LambdaCost { get; }

    /// <summary>λ_risk, the weight of the risk-based share.</summary>
    public double LambdaRisk { get; }

    /// <summary>λ_effort, the weight of the effort-game share.</summary>
    public double LambdaEffort { get; }

    /// <summary>
    /// The weights from a 3×3 AHP comparison of the three shares, in the order cost, risk,
    /// effort (MODEL §7(d): "directly or by a 3×3 AHP"). Consistency is the caller's choice:
    /// pass the result of <see cref="AnalyticHierarchyProcess.ComputeConsistent"/> to require it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="ahp"/> is null.</exception>
    /// <exception cref="ModelValidationException">The AHP was not 3×3; the field is <c>matrix</c>.</exception>
    public static AllocationWeights FromAhp(AhpResult ahp)
    {
        ArgumentNullException.ThrowIfNull(ahp);
        if (ahp.Weights.Count != 3)
        {
            throw new ModelValidationException("matrix", $"must be 3×3 (cost, risk, effort), is {ahp.Weights.Count}×{ahp.Weights.Count}");
        }

        return new AllocationWeights(ahp.Weights[0], ahp.Weights[1], ahp.Weights[2]);
    }
}

/// <summary>The combined tangible share of MODEL §7(d).</summary>
/// <param name="Shares">λ_cost·ω_i + λ_risk·v_i + λ_effort·t*_i: each in [0, 1], summing to 1.</param>
/// <param name="Weights">The λ used.</param>
public sealed record CombinedAllocationResult(IReadOnlyList<double> Shares, AllocationWeights Weights);

/// <summary>
/// Combines the cost-based (§7b), risk-based (§7c) and effort-game (§7a) shares into one tangible
/// share per party (MODEL §7(d)).
/// </summary>
public static class CombinedAllocation
{
    /// <summary>Combines three share vectors with the weights λ.</summary>
    /// <param name="costShares">ω: n = 2..<see cref="ModelLimits.MaxParties"/> shares ≥ 0 summing to 1 (<see cref="CostBasedAllocationResult.Shares"/>).</param>
    /// <param name="riskShares">v: one share per party, ≥ 0, summing to 1 (<see cref="RiskBasedAllocationResult.Shares"/>).</param>
    /// <param name="effortShares">t*: one share per party, ≥ 0, summing to 1 (<see cref="EffortOutcome.Shares"/> of <see cref="EffortGame.Optimize"/>).</param>
    /// <param name="weights">λ; null means <see cref="AllocationWeights.EqualThirds"/>.</param>
    /// <exception cref="ModelValidationException">
    /// Fields <c>costShares</c>, <c>riskShares</c>, <c>effortShares</c> (count or sum) or their
    /// entries, e.g. <c>riskShares[2]</c>. Each vector is rescaled to sum exactly 1 before combining.
    /// </exception>
    public static CombinedAllocationResult Combine(
        IReadOnlyList<double>? costShares,
        IReadOnlyList<double>? riskShares,
        IReadOnlyList<double>? effortShares,
        AllocationWeights? weights = null)
    {
        var cost = Guard.SumsToOne(Guard.Count(costShares, "costShares", ModelLimits.MinParties, ModelLimits.MaxParties), "costShares");
        var n = cost.Length;
        var risk = Guard.SumsToOne(Guard.Length(riskShares, "riskShares", n, "party"), "riskShares");
        var effort = Guard.SumsToOne(Guard.Length(effortShares, "effortShares", n, "party"), "effortShares");
        weights ??= AllocationWeights.EqualThirds;

        var (costSum, riskSum, effortSum) = (cost.Sum(), risk.Sum(), effort.Sum());
        var shares = new double[n];
        for (var i = 0; i < n; i++)
        {
            shares[i] = (weights.LambdaCost * cost[i] / costSum)
                + (weights.LambdaRisk * risk[i] / riskSum)
                + (weights.LambdaEffort * effort[i] / effortSum);
        }

        return new CombinedAllocationResult(Array.AsReadOnly(shares), weights);
    }
}
