using NegotiationHub.Bargaining.Allocation;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Allocation;

public class RiskBasedAllocationTests
{
    private static readonly double[][] Market = [[0.2, 0.1], [0.0, 0.3]];
    private static readonly double[][] Technical = [[0.1, 0.0], [0.2, 0.2]];
    private static readonly double[][] Cooperation = [[0.5, 0.0], [0.0, 0.5]];

    [Fact]
    public void A_hand_computed_example()
    {
        // R_00 = 1 − 0.8·0.9·0.5 = 0.64    R_01 = 1 − 0.9·1·1 = 0.1
        // R_10 = 1 − 1·0.8·1 = 0.2         R_11 = 1 − 0.7·0.8·0.5 = 0.72
        // stage 0: Σ = 0.84 → (0.64/0.84, 0.2/0.84) = (16/21, 5/21)
        // stage 1: Σ = 0.82 → (0.1/0.82, 0.72/0.82) = (5/41, 36/41)
        // overall: (0.74, 0.92)/1.66 = (37/83, 46/83)
        var result = RiskBasedAllocation.Compute(new RiskBasedAllocationInput(Market, Technical, Cooperation));

        Assert.Equal(0.64, result.Risks[0][0], 14);
        Assert.Equal(0.1, result.Risks[0][1], 14);
        Assert.Equal(0.2, result.Risks[1][0], 14);
        Assert.Equal(0.72, result.Risks[1][1], 14);
        Assert.Equal(16.0 / 21, result.StageShares[0][0], 14);
        Assert.Equal(5.0 / 21, result.StageShares[1][0], 14);
        Assert.Equal(5.0 / 41, result.StageShares[0][1], 14);
        Assert.Equal(36.0 / 41, result.StageShares[1][1], 14);
        Assert.Equal(37.0 / 83, result.Shares[0], 14);
        Assert.Equal(46.0 / 83, result.Shares[1], 14);
    }

    [Fact]
    public void Shares_sum_to_one_overall_and_in_every_stage()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 200; trial++)
        {
            var (n, m) = (random.Next(2, 17), random.Next(1, 33));
            double[][] Table() => [.. Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, m).Select(_ => 0.99 * random.NextDouble()).ToArray())];

            var result = RiskBasedAllocation.Compute(new RiskBasedAllocationInput(Table(), Table(), Table()));

            Assert.Equal(1, result.Shares.Sum(), 12);
            for (var j = 0; j < m; j++)
            {
                Assert.Equal(1, result.StageShares.Sum(row => row[j]), 12);
            }
        }
    }

    [Fact]
    public void A_tiny_risk_is_not_lost_to_rounding()
    {
        // 1 − (1 − 1e−20) rounds to 0 when computed naively; the only risk of stage 0 is this one.
        var result = RiskBasedAllocation.Compute(new RiskBasedAllocationInput([[1e-20, 0.5], [0, 0.5]], [[0, 0], [0, 0]], [[0, 0], [0, 0]]));

        Assert.Equal(1e-20, result.Risks[0][0]);
        Assert.Equal(1, result.StageShares[0][0]);
    }

    [Fact]
    public void All_zero_risks_are_rejected_naming_the_three_risk_tables()
    {
        double[][] zero = [[0, 0], [0, 0]];
        var input = new RiskBasedAllocationInput(zero, zero, zero);

        var errors = Assert.Throws<ModelValidationException>(() => RiskBasedAllocation.Compute(input)).Errors;

        Assert.Equal(["marketRisks", "technicalRisks", "cooperationRisks"], errors.Select(e => e.Field));
        Assert.Contains("every risk of every party is 0", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stage_without_any_risk_is_rejected_naming_the_stage()
    {
        double[][] zero = [[0, 0], [0, 0]];
        var input = new RiskBasedAllocationInput([[0.2, 0], [0.1, 0]], zero, zero);

        var errors = Assert.Throws<ModelValidationException>(() => RiskBasedAllocation.Compute(input)).Errors;

        Assert.Equal(3, errors.Count);
        Assert.Contains("in stage 1 ", errors[0].Message, StringComparison.Ordinal);
    }

    public static TheoryData<double[][]?, double[][]?, double[][]?, string> BadInputs => new()
    {
        { [[1.0, 0.1], [0.0, 0.3]], Technical, Cooperation, "marketRisks[0][0]" },
        { Market, [[0.1, 0.0], [-0.2, 0.2]], Cooperation, "technicalRisks[1][0]" },
        { Market, Technical, [[0.5, double.NaN], [0.0, 0.5]], "cooperationRisks[0][1]" },
        { null, Technical, Cooperation, "marketRisks" },
        { [[0.2, 0.1]], [[0.1, 0.0]], [[0.5, 0.0]], "marketRisks" },
        { [[0.2, 0.1], [0.0]], Technical, Cooperation, "marketRisks[1]" },
        { Market, [[0.1, 0.0]], Cooperation, "technicalRisks" },
        { Market, Technical, [[0.5, 0.0], [0.0, 0.5, 0.1]], "cooperationRisks[1]" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_inputs_are_rejected_naming_the_field(double[][]? market, double[][]? technical, double[][]? cooperation, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => new RiskBasedAllocationInput(market, technical, cooperation)).Errors.Single();

        Assert.Equal(field, error.Field);
    }
}
