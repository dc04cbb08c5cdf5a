using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Ahp;

public class GroupEigenvalueMethodTests
{
    private static GroupScores Aggregate(double[][] scores) => GroupEigenvalueMethod.Aggregate(new ExpertScores(scores));

    [Fact]
    public void Experts_who_agree_give_their_common_normalized_vector()
    {
        // Rows c_e·v: XᵀX = (Σc²)·v vᵀ, whose principal eigenvector is v.
        var random = new Random(12345);
        for (var trial = 0; trial < 200; trial++)
        {
            var k = random.Next(1, ModelLimits.MaxExperts + 1);
            var n = random.Next(1, ModelLimits.MaxItems + 1);
            var v = Enumerable.Range(0, n).Select(_ => random.Next(5) == 0 ? 0 : random.NextDouble()).ToArray();
            v[random.Next(n)] = 1 + random.NextDouble();
            var rows = Enumerable.Range(0, k).Select(_ => Scale(v, 0.01 + (10 * random.NextDouble()))).ToArray();

            var group = Aggregate(rows);

            for (var j = 0; j < n; j++)
            {
                Assert.Equal(v[j] / v.Sum(), group.Weights[j], 9);
            }

            Assert.Equal(1, group.Agreement, 9);
        }
    }

    [Fact]
    public void The_group_vector_is_a_non_negative_eigenvector_of_XtX_summing_to_one()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 200; trial++)
        {
            var k = random.Next(1, 30);
            var n = random.Next(1, 30);
            var rows = Enumerable.Range(0, k).Select(_ => RandomRow(n, random)).ToArray();

            var w = Aggregate(rows).Weights;

            Assert.Equal(1, w.Sum(), 12);
            Assert.All(w, x => Assert.True(x >= 0));

            // (XᵀX w)_j = λ w_j with λ = wᵀXᵀXw / wᵀw.
            var xw = rows.Select(r => r.Zip(w, (a, b) => a * b).Sum()).ToArray();
            var xtxw = Enumerable.Range(0, n).Select(j => rows.Select((r, e) => r[j] * xw[e]).Sum()).ToArray();
            var lambda = xtxw.Zip(w, (a, b) => a * b).Sum() / w.Sum(x => x * x);
            for (var j = 0; j < n; j++)
            {
                Assert.True(Math.Abs(xtxw[j] - (lambda * w[j])) <= 1e-9 * lambda, $"trial {trial}, item {j}");
            }
        }
    }

    // Two items: XᵀX = [[p, q], [q, r]], λ1 = (p + r)/2 + √(((p − r)/2)² + q²), eigenvector (q, λ1 − p).
    [Theory]
    [InlineData(new[] { 3.0, 1.0 }, new[] { 2.0, 2.0 })]
    [InlineData(new[] { 5.0, 0.0 }, new[] { 1.0, 4.0 })]
    [InlineData(new[] { 1.0, 9.0 }, new[] { 9.0, 1.0 })]
    public void Two_items_match_the_closed_form_eigenvector(double[] expert1, double[] expert2)
    {
        var p = (expert1[0] * expert1[0]) + (expert2[0] * expert2[0]);
        var q = (expert1[0] * expert1[1]) + (expert2[0] * expert2[1]);
        var r = (expert1[1] * expert1[1]) + (expert2[1] * expert2[1]);
        var lambda1 = ((p + r) / 2) + Math.Sqrt((((p - r) / 2) * ((p - r) / 2)) + (q * q));

        var group = Aggregate([expert1, expert2]);

        Assert.Equal(q / (q + lambda1 - p), group.Weights[0], 12);
        Assert.Equal(lambda1 / (p + r), group.Agreement, 12);
    }

    [Fact]
    public void Disagreeing_experts_have_agreement_below_one()
    {
        var group = Aggregate([[1, 2, 3], [3, 2, 1]]);

        Assert.True(group.Agreement < 1);
        Assert.Equal(1.0 / 3, group.Weights[1], 12); // symmetric experts: the middle item keeps a third
    }

    [Fact]
    public void Experts_scoring_disjoint_single_items_split_the_weight_by_their_scores()
    {
        // XᵀX = diag(9, 9, 0): a repeated eigenvalue. Documented rule: project the column sums.
        var group = Aggregate([[3, 0, 0], [0, 3, 0]]);

        Assert.Equal([0.5, 0.5, 0], group.Weights.Select(w => Math.Round(w, 12)));
    }

    [Fact]
    public void A_single_item_gets_weight_one()
    {
        Assert.Equal([1.0], Aggregate([[4], [0.5]]).Weights);
    }

    [Fact]
    public void Huge_scores_give_the_same_weights_as_small_ones()
    {
        double[][] small = [[1, 2, 3], [2, 2, 1], [0, 1, 4]];
        var huge = small.Select(r => Scale(r, 1e300)).ToArray();

        var expected = Aggregate(small).Weights;
        var actual = Aggregate(huge).Weights;

        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(expected[j], actual[j], 12);
        }
    }

    public static TheoryData<double[][]?, string> BadScores => new()
    {
        { null, "scores" },
        { [], "scores" },
        { Enumerable.Range(0, ModelLimits.MaxExperts + 1).Select(_ => new[] { 1.0 }).ToArray(), "scores" },
        { [Enumerable.Repeat(1.0, ModelLimits.MaxItems + 1).ToArray()], "scores[0]" },
        { [[1, 2], [1, 2, 3]], "scores[1]" },
        { [[1, double.NaN]], "scores[0][1]" },
        { [[1, double.PositiveInfinity]], "scores[0][1]" },
        { [[1, 2], [-1, 2]], "scores[1][0]" },
        { [[1, 2], [0, 0]], "scores[1]" },
    };

    [Theory]
    [MemberData(nameof(BadScores))]
    public void Bad_scores_are_rejected_naming_the_field(double[][]? scores, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => new ExpertScores(scores)).Errors.Single();

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void An_all_zero_expert_is_rejected_with_a_clear_message()
    {
        var error = Assert.Throws<ModelValidationException>(() => new ExpertScores([[0, 0, 0]])).Errors.Single();

        Assert.Equal("scores[0]", error.Field);
        Assert.Contains("at least one item a positive score", error.Message, StringComparison.Ordinal);
    }

    private static double[] Scale(double[] v, double c) => [.. v.Select(x => x * c)];

    private static double[] RandomRow(int n, Random random)
    {
        var row = Enumerable.Range(0, n).Select(_ => random.Next(4) == 0 ? 0 : 10 * random.NextDouble()).ToArray();
        row[random.Next(n)] = 1 + random.NextDouble();
        return row;
    }
}
