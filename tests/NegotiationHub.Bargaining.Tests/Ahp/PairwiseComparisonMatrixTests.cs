using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Ahp;

public class PairwiseComparisonMatrixTests
{
    public static TheoryData<string, double[][]?, string, string> BadMatrices => new()
    {
        { "NaN", [[1, double.NaN], [1, 1]], "matrix[0][1]", "finite" },
        { "+∞", [[1, 2], [double.PositiveInfinity, 1]], "matrix[1][0]", "finite" },
        { "−∞", [[1, double.NegativeInfinity], [1, 1]], "matrix[0][1]", "finite" },
        { "zero", [[1, 0], [1, 1]], "matrix[0][1]", "greater than 0" },
        { "negative", [[1, 2, 3], [0.5, 1, -4], [1.0 / 3, -0.25, 1]], "matrix[1][2]", "greater than 0" },
        { "beyond the judgement range", [[1, 2e6], [5e-7, 1]], "matrix[0][1]", "must lie in" },
        { "non-square (short row)", [[1, 2, 3], [0.5, 1], [1.0 / 3, 1, 1]], "matrix[1]", "one entry per row" },
        { "non-square (more rows than columns)", [[1, 2], [0.5, 1], [1, 1]], "matrix[0]", "one entry per row" },
        { "non-reciprocal", [[1, 3], [0.5, 1]], "matrix[1][0]", "must equal 1/matrix[0][1]" },
        { "non-reciprocal deep inside", [[1, 2, 4], [0.5, 1, 2], [0.25, 0.6, 1]], "matrix[2][1]", "must equal 1/matrix[1][2]" },
        { "diagonal ≠ 1", [[1, 2], [0.5, 2]], "matrix[1][1]", "must equal 1" },
        { "too large (16×16)", Enumerable.Range(0, 16).Select(_ => Enumerable.Repeat(1.0, 16).ToArray()).ToArray(), "matrix", "between 1 and 15" },
        { "empty", [], "matrix", "between 1 and 15" },
        { "missing", null, "matrix", "required" },
        { "missing row", [[1, 1], null!], "matrix[1]", "required" },
    };

    [Theory]
    [MemberData(nameof(BadMatrices))]
    public void Bad_matrices_are_rejected_naming_the_field(string because, double[][]? rows, string field, string rule)
    {
        var error = Assert.Throws<ModelValidationException>(() => new PairwiseComparisonMatrix(rows)).Errors.Single();

        Assert.True(field == error.Field, $"{because}: expected {field}, got {error.Field}");
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reciprocals_rounded_within_the_tolerance_are_accepted_and_made_exact()
    {
        var matrix = new PairwiseComparisonMatrix([[1, 3], [0.3333333, 1.0000001]]);

        Assert.Equal(1.0 / 3, matrix[1, 0]);
        Assert.Equal(1.0, matrix[1, 1]);
    }

    [Fact]
    public void A_reciprocal_rounded_beyond_the_tolerance_is_rejected()
    {
        var error = Assert.Throws<ModelValidationException>(() => new PairwiseComparisonMatrix([[1, 3], [0.333, 1]])).Errors.Single();

        Assert.Equal("matrix[1][0]", error.Field);
    }

    [Fact]
    public void The_matrix_does_not_change_when_the_caller_mutates_its_rows()
    {
        double[][] rows = [[1, 2], [0.5, 1]];
        var matrix = new PairwiseComparisonMatrix(rows);

        rows[0][1] = 7;

        Assert.Equal(2, matrix[0, 1]);
        Assert.Equal([[1, 2], [0.5, 1]], matrix.ToRows());
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    public void Bad_weights_are_rejected_naming_the_entry(double bad)
    {
        var error = Assert.Throws<ModelValidationException>(() => PairwiseComparisonMatrix.FromWeights([1, bad])).Errors.Single();

        Assert.Equal("weights[1]", error.Field);
    }

    [Fact]
    public void Weights_spread_beyond_the_judgement_range_are_rejected()
    {
        var error = Assert.Throws<ModelValidationException>(() => PairwiseComparisonMatrix.FromWeights([1, 1e-7])).Errors.Single();

        Assert.Equal("weights", error.Field);
    }
}
