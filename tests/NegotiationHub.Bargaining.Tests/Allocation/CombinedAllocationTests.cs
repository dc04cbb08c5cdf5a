using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Allocation;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Allocation;

public class CombinedAllocationTests
{
    private static readonly double[] Cost = [0.5, 0.3, 0.2];
    private static readonly double[] Risk = [0.2, 0.2, 0.6];
    private static readonly double[] Effort = [0.1, 0.6, 0.3];

    [Fact]
    public void A_hand_computed_example()
    {
        // λ = (0.5, 0.3, 0.2):
        // s_0 = 0.5·0.5 + 0.3·0.2 + 0.2·0.1 = 0.25 + 0.06 + 0.02 = 0.33
        // s_1 = 0.5·0.3 + 0.3·0.2 + 0.2·0.6 = 0.15 + 0.06 + 0.12 = 0.33
        // s_2 = 0.5·0.2 + 0.3·0.6 + 0.2·0.3 = 0.10 + 0.18 + 0.06 = 0.34
        var result = CombinedAllocation.Combine(Cost, Risk, Effort, new AllocationWeights(0.5, 0.3, 0.2));

        Assert.Equal([0.33, 0.33, 0.34], result.Shares.Select(s => Math.Round(s, 14)));
    }

    [Fact]
    public void The_default_weights_are_equal_thirds()
    {
        // s = ((0.5 + 0.2 + 0.1)/3, (0.3 + 0.2 + 0.6)/3, (0.2 + 0.6 + 0.3)/3) = (0.8, 1.1, 1.1)/3.
        var result = CombinedAllocation.Combine(Cost, Risk, Effort);

        Assert.Equal(new AllocationWeights(1.0 / 3, 1.0 / 3, 1.0 / 3), result.Weights);
        Assert.Equal(0.8 / 3, result.Shares[0], 14);
        Assert.Equal(1.1 / 3, result.Shares[1], 14);
        Assert.Equal(1.1 / 3, result.Shares[2], 14);
    }

    [Fact]
    public void Weights_can_come_from_a_three_by_three_AHP()
    {
        var ahp = AnalyticHierarchyProcess.Compute(PairwiseComparisonMatrix.FromWeights([0.5, 0.3, 0.2]));

        var weights = AllocationWeights.FromAhp(ahp);

        Assert.Equal(0.5, weights.LambdaCost, 12);
        Assert.Equal(0.3, weights.LambdaRisk, 12);
        Assert.Equal(0.2, weights.LambdaEffort, 12);
    }

    [Fact]
    public void An_AHP_of_another_size_is_rejected()
    {
        var ahp = AnalyticHierarchyProcess.Compute(PairwiseComparisonMatrix.FromWeights([0.5, 0.5]));

        var error = Assert.Throws<ModelValidationException>(() => AllocationWeights.FromAhp(ahp)).Errors.Single();

        Assert.Equal("matrix", error.Field);
    }

    [Fact]
    public void The_whole_pipeline_gives_shares_summing_to_one()
    {
        var effort = EffortGame.Optimize(new EffortGameInput([1, 2, 0.5], [2, 5, 1])).Outcome.Shares;
        var cost = CostBasedAllocation.Compute(new CostBasedAllocationInput([[[1, 2]], [[3, 1]], [[0, 5]]], [[[1, 1]], [[0.5, 1]], [[1, 0.2]]], 0.05, 100)).Shares;
        var risk = RiskBasedAllocation.Compute(new RiskBasedAllocationInput([[0.1], [0.2], [0.3]], [[0.1], [0.1], [0.1]], [[0.2], [0], [0.1]])).Shares;

        var combined = CombinedAllocation.Combine(cost, risk, effort, new AllocationWeights(0.2, 0.3, 0.5));

        Assert.Equal(1, combined.Shares.Sum(), 12);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((0.2 * cost[i]) + (0.3 * risk[i]) + (0.5 * effort[i]), combined.Shares[i], 12);
        }
    }

    [Theory]
    [InlineData(-0.1, 0.6, 0.5, "lambdaCost")]
    [InlineData(0.5, double.NaN, 0.5, "lambdaRisk")]
    [InlineData(0.5, 0.5, double.PositiveInfinity, "lambdaEffort")]
    public void A_bad_lambda_is_rejected_naming_it(double cost, double risk, double effort, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => new AllocationWeights(cost, risk, effort)).Errors.Single();

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Lambdas_that_do_not_sum_to_one_are_rejected_naming_all_three()
    {
        var errors = Assert.Throws<ModelValidationException>(() => new AllocationWeights(0.3, 0.3, 0.3)).Errors;

        Assert.Equal(["lambdaCost", "lambdaRisk", "lambdaEffort"], errors.Select(e => e.Field));
        Assert.Contains("sums to 0.9", errors[0].Message, StringComparison.Ordinal);
    }

    public static TheoryData<double[]?, double[]?, double[]?, string> BadShares => new()
    {
        { [0.5, 0.4], [0.5, 0.5], [0.5, 0.5], "costShares" },
        { null, [0.5, 0.5], [0.5, 0.5], "costShares" },
        { [1.0], [1.0], [1.0], "costShares" },
        { [0.5, 0.5], [0.5, 0.25, 0.25], [0.5, 0.5], "riskShares" },
        { [0.5, 0.5], [0.5, 0.5], [1.5, -0.5], "effortShares[1]" },
        { [0.5, 0.5], [0.5, double.NaN], [0.5, 0.5], "riskShares[1]" },
    };

    [Theory]
    [MemberData(nameof(BadShares))]
    public void Bad_share_vectors_are_rejected_naming_the_field(double[]? cost, double[]? risk, double[]? effort, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => CombinedAllocation.Combine(cost, risk, effort)).Errors.Single();

        Assert.Equal(field, error.Field);
    }
}
