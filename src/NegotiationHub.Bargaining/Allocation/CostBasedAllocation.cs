using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Allocation;

/// <summary>
/// The inputs of the cost-based share, MODEL §7(b): per party i, stage j and resource o, the cost
/// <c>C_ijo</c> invested and its contribution degree <c>P_ijo</c> (an expert or GEM score); the
/// per-stage rate r; the pool N. Validated on construction.
/// </summary>
/// <remarks>
/// Both tables are indexed <c>[party][stage][resource]</c> and must have the same shape: n =
/// 2..<see cref="ModelLimits.MaxParties"/> parties, m = 1..<see cref="ModelLimits.MaxStages"/>
/// stages, 1..<see cref="ModelLimits.MaxResources"/> resource kinds (the same kinds in every stage;
/// a resource not used in a stage has cost 0).
/// </remarks>
public sealed class CostBasedAllocationInput
{
    /// <summary>Creates and validates the input.</summary>
    /// <param name="costs">C_ijo in [0, <see cref="AllocationLimits.MaxAmount"/>].</param>
    /// <param name="contributionDegrees">P_ijo in [0, <see cref="AllocationLimits.MaxAmount"/>], same shape as <paramref name="costs"/>.</param>
    /// <param name="rate">
    /// r in [0, <see cref="AllocationLimits.MaxRate"/>]: the per-stage rate at which earlier
    /// investment is compounded (stage j counts <c>(1 + r)^(m + 1 − j)</c>); above 100 % per stage
    /// is taken as a typo.
    /// </param>
    /// <param name="pool">N in [0, <see cref="AllocationLimits.MaxAmount"/>]: the tangible benefit to split.</param>
    /// <exception cref="ModelValidationException">
    /// Fields <c>costs</c>, <c>costs[i]</c>, <c>costs[i][j]</c>, <c>costs[i][j][o]</c>, the same paths
    /// under <c>contributionDegrees</c>, <c>rate</c>, <c>pool</c>.
    /// </exception>
    public CostBasedAllocationInput(
        IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? costs,
        IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? contributionDegrees,
        double rate,
        double pool)
    {
        Costs = Table(costs, "costs", null);
        ContributionDegrees = Table(contributionDegrees, "contributionDegrees", Costs);
        Rate = Guard.InRange(rate, "rate", 0, AllocationLimits.MaxRate);
        Pool = Guard.InRange(pool, "pool", 0, AllocationLimits.MaxAmount);
    }

    /// <summary>n, the number of parties.</summary>
    public int Parties => Costs.Length;

    /// <summary>m, the number of stages.</summary>
    public int Stages => Costs[0].Length;

    /// <summary>The number of resource kinds per stage.</summary>
    public int Resources => Costs[0][0].Length;

    /// <summary>r, the per-stage rate.</summary>
    public double Rate { get; }

    /// <summary>N, the pool.</summary>
    public double Pool { get; }

    internal double[][][] Costs { get; }

    internal double[][][] ContributionDegrees { get; }

    /// <summary>The cost C_ijo.</summary>
    /// <exception cref="IndexOutOfRangeException">An index is out of range.</exception>
    public double Cost(int party, int stage, int resource) => Costs[party][stage][resource];

    /// <summary>The contribution degree P_ijo.</summary>
    /// <exception cref="IndexOutOfRangeException">An index is out of range.</exception>
    public double ContributionDegree(int party, int stage, int resource) => ContributionDegrees[party][stage][resource];

    // Validates one [party][stage][resource] table; the first fixes the shape, the second must match it.
    private static double[][][] Table(IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? table, string field, double[][][]? shape)
    {
        var parties = shape is null
            ? Guard.Count(table, field, ModelLimits.MinParties, ModelLimits.MaxParties)
            : Guard.Length(table, field, shape.Length, "party");
        int? stageCount = shape?[0].Length;
        int? resourceCount = shape?[0][0].Length;
        var result = new double[parties.Length][][];
        for (var i = 0; i < parties.Length; i++)
        {
            var partyField = $"{field}[{i}]";
            var stages = stageCount is { } m
                ? Guard.Length(parties[i], partyField, m, "stage")
                : Guard.Count(parties[i], partyField, 1, ModelLimits.MaxStages);
            stageCount = stages.Length;
            result[i] = new double[stages.Length][];
            for (var j = 0; j < stages.Length; j++)
            {
                var stageField = $"{partyField}[{j}]";
                var resources = resourceCount is { } r
                    ? Guard.Length(stages[j], stageField, r, "resource")
                    : Guard.Count(stages[j], stageField, 1, ModelLimits.MaxResources);
                resourceCount = resources.Length;
                for (var o = 0; o < resources.Length; o++)
                {
                    Guard.InRange(resources[o], $"{stageField}[{o}]", 0, AllocationLimits.MaxAmount);
                }

                result[i][j] = resources;
            }
        }

        return result;
    }
}

/// <summary>The cost-based share of MODEL §7(b).</summary>
/// <param name="Values">value_i = Σ_j Σ_o C_ijo (1 + r)^(m + 1 − j) P_ijo (stages j = 1..m).</param>
/// <param name="Shares">ω_i = value_i / Σ value: each in [0, 1], summing to 1.</param>
/// <param name="Payouts">ω_i · N.</param>
public sealed record CostBasedAllocationResult(
    IReadOnlyList<double> Values,
    IReadOnlyList<double> Shares,
    IReadOnlyList<double> Payouts);

/// <summary>
/// The cost-based share (MODEL §7(b), seed 000 §3.2-1): each party's compounded, expert-weighted
/// investment as a fraction of everyone's. Earlier stages are compounded longer, rewarding
/// investment made before the outcome was known.
/// </summary>
public static class CostBasedAllocation
{
    /// <summary>Computes values, shares and payouts.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ModelValidationException">
    /// Every value is 0 (each cost is 0 or has contribution degree 0), so the shares are
    /// undefined; the fields are <c>costs</c> and <c>contributionDegrees</c>.
    /// </exception>
    public static CostBasedAllocationResult Compute(CostBasedAllocationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var n = input.Parties;
        var m = input.Stages;
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < m; j++)
            {
                var weighted = 0.0;
                for (var o = 0; o < input.Resources; o++)
                {
                    weighted += input.Costs[i][j][o] * input.ContributionDegrees[i][j][o];
                }

                // MODEL §7b: stage j (1-based) is compounded m + 1 − j times; j is 0-based here.
                values[i] += weighted * Math.Pow(1 + input.Rate, m - j);
            }
        }

        var total = values.Sum();
        if (total == 0)
        {
            const string message = "every party's value is 0 (each cost is 0 or has contribution degree 0), so the shares value_i / Σ value are undefined";
            throw new ModelValidationException([new FieldError("costs", message), new FieldError("contributionDegrees", message)]);
        }

        var shares = values.Select(v => v / total).ToArray();
        var payouts = shares.Select(s => s * input.Pool).ToArray();
        return new CostBasedAllocationResult(Array.AsReadOnly(values), Array.AsReadOnly(shares), Array.AsReadOnly(payouts));
    }
}
