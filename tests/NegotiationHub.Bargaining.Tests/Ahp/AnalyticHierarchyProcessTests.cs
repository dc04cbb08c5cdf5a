using System.Text.RegularExpressions;
using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Ahp;

public class AnalyticHierarchyProcessTests
{
    private static AhpResult Compute(double[][] rows) => AnalyticHierarchyProcess.Compute(new PairwiseComparisonMatrix(rows));

    [Fact]
    public void Saatys_published_three_by_three_example_gives_the_published_weights_and_CR()
    {
        // The textbook example: weights 0.637 / 0.258 / 0.105, CR ≈ 0.033.
        var result = Compute([[1, 3, 5], [1.0 / 3, 1, 3], [1.0 / 5, 1.0 / 3, 1]]);

        Assert.Equal(0.637, result.Weights[0], 3);
        Assert.Equal(0.258, result.Weights[1], 3);
        Assert.Equal(0.105, result.Weights[2], 3);
        Assert.InRange(result.ConsistencyRatio, 0.031, 0.035);
        Assert.True(result.IsConsistent);
    }

    // For any 3×3 positive reciprocal matrix the principal eigenvector is the vector of row
    // geometric means, and λmax = 1 + c^(1/3) + c^(−1/3) with c = a13 / (a12·a23).
    [Theory]
    [InlineData(3, 5, 2)]
    [InlineData(3, 5, 3)]
    [InlineData(2, 4, 2)]
    [InlineData(9, 1.0 / 9, 9)]
    [InlineData(1.0 / 7, 6, 1.0 / 2)]
    public void Three_by_three_matrices_match_the_closed_form(double a12, double a13, double a23)
    {
        var result = Compute([[1, a12, a13], [1 / a12, 1, a23], [1 / a13, 1 / a23, 1]]);

        double[] g = [Math.Cbrt(a12 * a13), Math.Cbrt(a23 / a12), Math.Cbrt(1 / (a13 * a23))];
        var c = a13 / (a12 * a23);
        var lambda = 1 + Math.Cbrt(c) + Math.Cbrt(1 / c);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(g[i] / g.Sum(), result.Weights[i], 12);
        }

        Assert.Equal(lambda, result.LambdaMax, 10);
        Assert.Equal((lambda - 3) / 2, result.ConsistencyIndex, 10);
        Assert.Equal((lambda - 3) / 2 / 0.58, result.ConsistencyRatio, 10);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 0.58)]
    [InlineData(4, 0.90)]
    [InlineData(5, 1.12)]
    [InlineData(6, 1.24)]
    [InlineData(7, 1.32)]
    [InlineData(8, 1.41)]
    [InlineData(9, 1.45)]
    [InlineData(10, 1.49)]
    [InlineData(11, 1.51)]
    [InlineData(12, 1.48)]
    [InlineData(13, 1.56)]
    [InlineData(14, 1.57)]
    [InlineData(15, 1.59)]
    public void Random_index_is_Saatys_table(int n, double expected)
    {
        Assert.Equal(expected, AnalyticHierarchyProcess.RandomIndex(n));
        var result = AnalyticHierarchyProcess.Compute(PairwiseComparisonMatrix.FromWeights(Enumerable.Repeat(1.0, n).ToArray()));
        Assert.Equal(expected, result.RandomIndex);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void Random_index_outside_the_table_is_rejected(int n)
    {
        var error = Assert.Throws<ModelValidationException>(() => AnalyticHierarchyProcess.RandomIndex(n));
        Assert.Equal("n", error.Errors.Single().Field);
    }

    [Fact]
    public void A_single_item_has_weight_one_and_no_judgement()
    {
        var result = Compute([[1]]);

        Assert.Equal([1.0], result.Weights);
        Assert.Equal(1, result.LambdaMax);
        Assert.Equal(0, result.ConsistencyRatio);
        Assert.Null(result.WorstJudgement);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(1.0 / 9)]
    public void Two_items_are_always_consistent_with_weights_a_over_one_plus_a(double a)
    {
        var result = Compute([[1, a], [1 / a, 1]]);

        Assert.Equal(a / (1 + a), result.Weights[0], 14);
        Assert.Equal(1 / (1 + a), result.Weights[1], 14);
        Assert.Equal(0, result.ConsistencyRatio);
        Assert.Equal(0, result.WorstJudgement!.Departure, 12);
    }

    [Fact]
    public void A_cyclic_matrix_is_inconsistent_with_the_circulant_eigenvalue()
    {
        // Circulant: λmax = 1 + 9 + 1/9, equal weights; every judgement is off by a factor 9.
        var result = Compute([[1, 9, 1.0 / 9], [1.0 / 9, 1, 9], [9, 1.0 / 9, 1]]);

        Assert.Equal(1 + 9 + (1.0 / 9), result.LambdaMax, 10);
        Assert.All(result.Weights, w => Assert.Equal(1.0 / 3, w, 12));
        Assert.True(result.ConsistencyRatio >= 0.1);
        Assert.False(result.IsConsistent);
        Assert.Equal(Math.Log(9), result.WorstJudgement!.Departure, 10);
    }

    [Fact]
    public void Requiring_consistency_of_a_cyclic_matrix_throws_naming_the_worst_judgement_and_a_fitting_value()
    {
        var matrix = new PairwiseComparisonMatrix([[1, 9, 1.0 / 9], [1.0 / 9, 1, 9], [9, 1.0 / 9, 1]]);

        var error = Assert.Throws<ModelValidationException>(() => AnalyticHierarchyProcess.ComputeConsistent(matrix)).Errors.Single();

        var match = Regex.Match(error.Field, @"^matrix\[(\d)\]\[(\d)\]$");
        Assert.True(match.Success, error.Field);
        Assert.True(int.Parse(match.Groups[1].Value) < int.Parse(match.Groups[2].Value));
        Assert.Contains("CR = 6.13", error.Message, StringComparison.Ordinal); // (10.111 − 3)/2/0.58
        Assert.Contains("close to 1 ", error.Message, StringComparison.Ordinal); // equal weights imply 1
    }

    [Fact]
    public void Requiring_consistency_of_a_consistent_matrix_returns_the_result()
    {
        var result = AnalyticHierarchyProcess.ComputeConsistent(new PairwiseComparisonMatrix([[1, 3, 5], [1.0 / 3, 1, 3], [1.0 / 5, 1.0 / 3, 1]]));

        Assert.True(result.IsConsistent);
    }

    [Fact]
    public void The_worst_judgement_is_the_one_planted_in_a_consistent_matrix()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 200; trial++)
        {
            var n = random.Next(4, 10);
            var w = Enumerable.Range(0, n).Select(_ => 0.1 + random.NextDouble()).ToArray();
            var rows = PairwiseComparisonMatrix.FromWeights(w).ToRows();
            var i = random.Next(n - 1);
            var j = random.Next(i + 1, n);
            var factor = random.Next(2) == 0 ? 9.0 : 1.0 / 9;
            rows[i][j] *= factor;
            rows[j][i] = 1 / rows[i][j];

            var worst = Compute(rows).WorstJudgement!;

            Assert.Equal((i, j), (worst.Row, worst.Column));
            Assert.Equal($"matrix[{i}][{j}]", worst.Field);
            Assert.Equal(rows[i][j], worst.Value);
        }
    }

    [Theory]
    [InlineData(2.9, 3)]
    [InlineData(1.2, 1)]
    [InlineData(0.3, 1.0 / 3)]
    [InlineData(100, 9)]
    [InlineData(0.001, 1.0 / 9)]
    public void The_suggested_value_is_the_nearest_point_of_Saatys_scale(double impliedRatio, double expected)
    {
        var judgement = new AhpJudgement(0, 1, 9, impliedRatio, 0);

        Assert.Equal(expected, judgement.SuggestedValue, 12);
    }

    [Fact]
    public void The_eigendecomposition_fallback_agrees_with_power_iteration()
    {
        var random = new Random(12345);
        double[] scale = [1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3, 1, 2, 3, 5, 7, 9];
        for (var trial = 0; trial < 50; trial++)
        {
            var n = random.Next(3, ModelLimits.MaxAhpSize + 1);
            var rows = RandomReciprocal(n, scale, random);
            var matrix = new PairwiseComparisonMatrix(rows);

            var iterated = AnalyticHierarchyProcess.Compute(matrix);
            var decomposed = AnalyticHierarchyProcess.Compute(matrix, maxPowerIterations: 0);

            for (var i = 0; i < n; i++)
            {
                Assert.Equal(decomposed.Weights[i], iterated.Weights[i], 10);
            }

            Assert.Equal(decomposed.LambdaMax, iterated.LambdaMax, 9);
        }
    }

    [Fact]
    public void Weights_are_a_positive_eigenvector_of_random_reciprocal_matrices()
    {
        var random = new Random(12345);
        double[] scale = [1.0 / 9, 1.0 / 8, 1.0 / 7, 1.0 / 6, 1.0 / 5, 1.0 / 4, 1.0 / 3, 1.0 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        for (var trial = 0; trial < 200; trial++)
        {
            var n = random.Next(2, ModelLimits.MaxAhpSize + 1);
            var rows = RandomReciprocal(n, scale, random);

            var result = Compute(rows);

            Assert.Equal(1, result.Weights.Sum(), 12);
            Assert.All(result.Weights, w => Assert.True(w > 0));
            Assert.True(result.LambdaMax >= n);
            for (var i = 0; i < n; i++)
            {
                var aw = Enumerable.Range(0, n).Sum(j => rows[i][j] * result.Weights[j]);
                Assert.Equal(result.LambdaMax * result.Weights[i], aw, 10);
            }
        }
    }

    private static double[][] RandomReciprocal(int n, double[] scale, Random random)
    {
        var rows = Enumerable.Range(0, n).Select(_ => new double[n]).ToArray();
        for (var i = 0; i < n; i++)
        {
            rows[i][i] = 1;
            for (var j = i + 1; j < n; j++)
            {
                rows[i][j] = scale[random.Next(scale.Length)];
                rows[j][i] = 1 / rows[i][j];
            }
        }

        return rows;
    }
}
