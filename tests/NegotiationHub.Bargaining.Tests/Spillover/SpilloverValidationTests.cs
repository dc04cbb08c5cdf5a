using NegotiationHub.Bargaining.Spillover;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Spillover;

public class SpilloverValidationTests
{
    [Theory]
    [InlineData(double.NaN, 1, 50, 0.5, 1, 2, "demandIntercept")]
    [InlineData(double.PositiveInfinity, 1, 50, 0.5, 1, 2, "demandIntercept")]
    [InlineData(0, 1, 50, 0.5, 1, 2, "demandIntercept")]
    [InlineData(100, 0, 50, 0.5, 1, 2, "demandSlope")]
    [InlineData(100, double.NaN, 50, 0.5, 1, 2, "demandSlope")]
    [InlineData(100, 1, 100, 0.5, 1, 2, "baseUnitCost")]
    [InlineData(100, 1, 150, 0.5, 1, 2, "baseUnitCost")]
    [InlineData(100, 1, 0, 0.5, 1, 2, "baseUnitCost")]
    [InlineData(100, 1, double.NegativeInfinity, 0.5, 1, 2, "baseUnitCost")]
    [InlineData(100, 1, 50, 1.0000001, 1, 2, "beta")]
    [InlineData(100, 1, 50, -0.1, 1, 2, "beta")]
    [InlineData(100, 1, 50, double.NaN, 1, 2, "beta")]
    [InlineData(100, 1, 50, 0.5, 0, 2, "gamma")]
    [InlineData(100, 1, 50, 0.5, -1, 2, "gamma")]
    [InlineData(100, 1, 50, 0.5, double.PositiveInfinity, 2, "gamma")]
    [InlineData(100, 1, 50, 0.5, 1, 1, "firmCount")]
    [InlineData(100, 1, 50, 0.5, 1, 0, "firmCount")]
    [InlineData(100, 1, 50, 0.5, 1, 1001, "firmCount")]
    public void Invalid_input_names_the_field(double a, double b, double capA, double beta, double gamma, int n, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => new SpilloverInput(a, b, capA, beta, gamma, n));

        var only = Assert.Single(error.Errors);
        Assert.Equal(field, only.Field);
        Assert.False(string.IsNullOrWhiteSpace(only.Message));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1000)]
    public void The_firm_count_limits_are_inclusive(int n)
    {
        var input = new SpilloverInput(100, 1, 50, 0.5, 1, n);

        Assert.Equal(n, input.FirmCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(1002)]
    public void A_sweep_outside_2_to_1001_points_names_betaPoints(int points)
    {
        var error = Assert.Throws<ModelValidationException>(() => SpilloverAnalysis.Sweep(new SpilloverInput(100, 1, 50, 0.5, 1, 2), points));

        Assert.Equal("betaPoints", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void Changing_beta_revalidates_it()
    {
        var error = Assert.Throws<ModelValidationException>(() => new SpilloverInput(100, 1, 50, 0.5, 1, 2).WithBeta(2));

        Assert.Equal("beta", Assert.Single(error.Errors).Field);
    }
}
