using NegotiationHub.Bargaining.Allocation;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Allocation;

public class CostBasedAllocationTests
{
    // Two parties, two stages, two resources, r = 0.1, N = 1000. Stage factors (1 + r)^(m + 1 − j):
    // stage 1 → 1.1² = 1.21, stage 2 → 1.1.
    private static readonly double[][][] Costs = [[[10, 0], [5, 5]], [[0, 20], [10, 0]]];
    private static readonly double[][][] Degrees = [[[0.8, 0.5], [0.6, 1.0]], [[0.3, 0.5], [0.9, 0.2]]];

    [Fact]
    public void A_hand_computed_example()
    {
        // value_0 = 1.21·(10·0.8 + 0·0.5) + 1.1·(5·0.6 + 5·1.0) = 9.68 + 8.8 = 18.48
        // value_1 = 1.21·(0·0.3 + 20·0.5) + 1.1·(10·0.9 + 0·0.2) = 12.1 + 9.9 = 22
        // Σ = 40.48 → ω = (18.48/40.48, 22/40.48) = (21/46, 25/46); payouts ω·1000.
        var result = CostBasedAllocation.Compute(new CostBasedAllocationInput(Costs, Degrees, 0.1, 1000));

        Assert.Equal(18.48, result.Values[0], 12);
        Assert.Equal(22, result.Values[1], 12);
        Assert.Equal(21.0 / 46, result.Shares[0], 14);
        Assert.Equal(25.0 / 46, result.Shares[1], 14);
        Assert.Equal(21000.0 / 46, result.Payouts[0], 10);
        Assert.Equal(25000.0 / 46, result.Payouts[1], 10);
    }

    [Fact]
    public void With_a_zero_rate_the_value_is_the_plain_score_weighted_cost()
    {
        // value_0 = 8 + 8 = 16, value_1 = 10 + 9 = 19.
        var result = CostBasedAllocation.Compute(new CostBasedAllocationInput(Costs, Degrees, 0, 35));

        Assert.Equal([16.0, 19.0], result.Values.Select(v => Math.Round(v, 12)));
        Assert.Equal([16.0, 19.0], result.Payouts.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Earlier_stages_are_compounded_longer()
    {
        // Same cost·degree = 1 in stage 1 for party 0 and in stage 3 for party 1, r = 1, m = 3:
        // factors 2³ = 8 and 2¹ = 2, so ω = (0.8, 0.2).
        double[][][] costs = [[[1], [0], [0]], [[0], [0], [1]]];
        double[][][] degrees = [[[1], [1], [1]], [[1], [1], [1]]];

        var result = CostBasedAllocation.Compute(new CostBasedAllocationInput(costs, degrees, 1, 1));

        Assert.Equal(0.8, result.Shares[0], 14);
        Assert.Equal(0.2, result.Shares[1], 14);
    }

    [Fact]
    public void Shares_sum_to_one_and_payouts_to_the_pool()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 200; trial++)
        {
            var (n, m, r) = (random.Next(2, 17), random.Next(1, 33), random.Next(1, 33));
            double[][][] Table() => [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, m).Select(_ => Enumerable.Range(0, r).Select(_ => 100 * random.NextDouble()).ToArray()).ToArray())];
            var pool = 1e6 * random.NextDouble();

            var result = CostBasedAllocation.Compute(new CostBasedAllocationInput(Table(), Table(), random.NextDouble(), pool));

            Assert.Equal(1, result.Shares.Sum(), 12);
            Assert.All(result.Shares, s => Assert.InRange(s, 0, 1));
            Assert.Equal(pool, result.Payouts.Sum(), 1e-9 * pool);
        }
    }

    [Fact]
    public void All_zero_values_are_rejected_naming_costs_and_contribution_degrees()
    {
        double[][][] costs = [[[1, 0]], [[0, 0]]];
        double[][][] degrees = [[[0, 1]], [[1, 1]]];
        var input = new CostBasedAllocationInput(costs, degrees, 0.05, 100);

        var errors = Assert.Throws<ModelValidationException>(() => CostBasedAllocation.Compute(input)).Errors;

        Assert.Equal(["costs", "contributionDegrees"], errors.Select(e => e.Field));
        Assert.Contains("undefined", errors[0].Message, StringComparison.Ordinal);
    }

    public static TheoryData<double[][][]?, double[][][]?, double, double, string> BadInputs => new()
    {
        { Costs, Degrees, -0.1, 1, "rate" },
        { Costs, Degrees, 1.5, 1, "rate" },
        { Costs, Degrees, double.NaN, 1, "rate" },
        { Costs, Degrees, 0.1, -1, "pool" },
        { Costs, Degrees, 0.1, double.PositiveInfinity, "pool" },
        { Costs, Degrees, 0.1, 2e15, "pool" },
        { null, Degrees, 0.1, 1, "costs" },
        { [[[1]]], [[[1]]], 0.1, 1, "costs" },
        { [[[10, 0], [5, 5]], [[0, -20], [10, 0]]], Degrees, 0.1, 1, "costs[1][0][1]" },
        { [[[10, 0], [5, double.NaN]], [[0, 20], [10, 0]]], Degrees, 0.1, 1, "costs[0][1][1]" },
        { [[[10, 0], [5, 5]], [[0, 20]]], Degrees, 0.1, 1, "costs[1]" },
        { [[[10, 0], [5]], [[0, 20], [10, 0]]], Degrees, 0.1, 1, "costs[0][1]" },
        { Costs, null, 0.1, 1, "contributionDegrees" },
        { Costs, [[[0.8, 0.5], [0.6, 1.0]]], 0.1, 1, "contributionDegrees" },
        { Costs, [[[0.8, 0.5], [0.6, 1.0]], [[0.3, 0.5], [0.9]]], 0.1, 1, "contributionDegrees[1][1]" },
        { Costs, [[[0.8, 0.5], [0.6, 1.0]], [[0.3, -0.5], [0.9, 0.2]]], 0.1, 1, "contributionDegrees[1][0][1]" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_inputs_are_rejected_naming_the_field(double[][][]? costs, double[][][]? degrees, double rate, double pool, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => new CostBasedAllocationInput(costs, degrees, rate, pool)).Errors.Single();

        Assert.Equal(field, error.Field);
    }
}
