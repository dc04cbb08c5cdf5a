using NegotiationHub.Bargaining.Power;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Power;

public class BargainingPowerTests
{
    private static double[][] M(params double[][] rows) => rows;

    [Fact]
    public void Two_parties_use_the_own_to_opponent_strength_ratio()
    {
        // MODEL §1, n = 2: l_1p = I_1p/I_2p. Strengths (4, 1) and (2, 3), weights (0.6, 0.4):
        // H1 = 0.6·4/2 + 0.4·1/3 = 1.2 + 0.13333 = 1.33333; H2 = 0.6·2/4 + 0.4·3/1 = 0.3 + 1.2 = 1.5
        var result = BargainingPower.Compute(new BargainingPowerInput(M([4, 1], [2, 3]), [0.6, 0.4]));

        Assert.Equal(2.0, result.Ratios[0][0], 12);
        Assert.Equal(1.0 / 3, result.Ratios[0][1], 12);
        Assert.Equal(1.2 + (0.4 / 3), result.RawPower[0], 12);
        Assert.Equal(1.5, result.RawPower[1], 12);
        var total = 1.2 + (0.4 / 3) + 1.5;
        Assert.Equal((1.2 + (0.4 / 3)) / total, result.Power[0], 12);
        Assert.Equal(1.5 / total, result.Power[1], 12);
    }

    [Fact]
    public void Three_parties_compare_each_with_the_mean_of_the_others()
    {
        // Strengths [[2,1],[1,1],[1,2]], weights (½, ½):
        // l_0 = (2/1, 1/1.5), l_1 = (1/1.5, 1/1.5), l_2 = (1/1.5, 2/1) → H = (4/3, 2/3, 4/3), h = (0.4, 0.2, 0.4)
        var result = BargainingPower.Compute(new BargainingPowerInput(M([2, 1], [1, 1], [1, 2]), [0.5, 0.5]));

        Assert.Equal([0.4, 0.2, 0.4], result.Power.Select(h => Math.Round(h, 12)));
        Assert.Equal(4.0 / 3, result.RawPower[0], 12);
    }

    [Fact]
    public void Per_party_weights_apply_each_party_its_own_weights()
    {
        // Strengths (4, 1) vs (2, 3); party 0 weighs (1−ε≈0.9, 0.1), party 1 weighs (0.2, 0.8).
        // H0 = 0.9·2 + 0.1·(1/3) = 1.83333; H1 = 0.2·0.5 + 0.8·3 = 2.5
        var result = BargainingPower.Compute(new BargainingPowerInput(M([4, 1], [2, 3]), partyWeights: M([0.9, 0.1], [0.2, 0.8])));

        Assert.Equal(1.8 + (0.1 / 3), result.RawPower[0], 12);
        Assert.Equal(2.5, result.RawPower[1], 12);
    }

    [Fact]
    public void Equal_strengths_give_equal_power()
    {
        var result = BargainingPower.Compute(new BargainingPowerInput(M([3, 5, 7], [3, 5, 7], [3, 5, 7], [3, 5, 7]), [0.2, 0.3, 0.5]));

        Assert.All(result.Power, h => Assert.Equal(0.25, h, 14));
    }

    [Fact]
    public void Powers_are_a_distribution_invariant_to_the_unit_of_each_factor_and_follow_the_parties()
    {
        var random = new Random(20261122);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = random.Next(2, 17);
            var m = random.Next(1, 8);
            var strengths = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, m).Select(_ => 0.1 + (random.NextDouble() * 100)).ToArray()).ToArray();
            var raw = Enumerable.Range(0, m).Select(_ => 0.05 + random.NextDouble()).ToArray();
            var weights = raw.Select(w => w / raw.Sum()).ToArray();

            var h = BargainingPower.Powers(new BargainingPowerInput(strengths, weights));
            Assert.Equal(1.0, h.Sum(), 12);
            Assert.All(h, x => Assert.InRange(x, double.Epsilon, 1 - 1e-15));

            // Changing a factor's unit (scaling its column) changes no ratio, hence no power.
            var unit = 0.001 + (random.NextDouble() * 1000);
            var p = random.Next(m);
            var rescaled = strengths.Select(row => row.Select((v, j) => j == p ? v * unit : v).ToArray()).ToArray();
            var h2 = BargainingPower.Powers(new BargainingPowerInput(rescaled, weights));
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(h[i], h2[i], 10);
            }

            // Swapping two parties swaps their powers.
            var a = random.Next(n);
            var b = (a + 1 + random.Next(n - 1)) % n;
            var swapped = (double[][])strengths.Clone();
            (swapped[a], swapped[b]) = (swapped[b], swapped[a]);
            var h3 = BargainingPower.Powers(new BargainingPowerInput(swapped, weights));
            Assert.Equal(h[a], h3[b], 12);
            Assert.Equal(h[b], h3[a], 12);
        }
    }

    public static TheoryData<double[][]?, double[]?, double[][]?, string> BadInputs => new()
    {
        { null, [1.0], null, "strengths" },
        { [[1.0]], [1.0], null, "strengths" },
        { [[1.0, 2], [1, double.NaN]], [0.5, 0.5], null, "strengths[1][1]" },
        { [[1.0, 2], [1, double.PositiveInfinity]], [0.5, 0.5], null, "strengths[1][1]" },
        { [[1.0, 2], [0, 1]], [0.5, 0.5], null, "strengths[1][0]" },
        { [[1.0, -2], [1, 1]], [0.5, 0.5], null, "strengths[0][1]" },
        { [[1.0, 2], [1]], [0.5, 0.5], null, "strengths[1]" },
        { [[1.0, 2], [1, 2]], [0.5, 0.6], null, "weights" },
        { [[1.0, 2], [1, 2]], [1.0], null, "weights" },
        { [[1.0, 2], [1, 2]], [1.5, -0.5], null, "weights[1]" },
        { [[1.0, 2], [1, 2]], [double.NaN, 0.5], null, "weights[0]" },
        { [[1.0, 2], [1, 2]], null, null, "weights" },
        { [[1.0, 2], [1, 2]], [0.5, 0.5], [[0.5, 0.5], [0.5, 0.5]], "weights" },
        { [[1.0, 2], [1, 2]], null, [[0.5, 0.5]], "partyWeights" },
        { [[1.0, 2], [1, 2]], null, [[0.5, 0.5], [0.7, 0.7]], "partyWeights[1]" },
        { Enumerable.Repeat(new[] { 1.0 }, 17).ToArray(), [1.0], null, "strengths" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Invalid_input_names_the_field(double[][]? strengths, double[]? weights, double[][]? partyWeights, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => new BargainingPowerInput(strengths, weights, partyWeights));

        Assert.Equal(field, error.Errors[0].Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Errors[0].Message));
    }
}
