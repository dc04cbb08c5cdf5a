using NegotiationHub.Bargaining.Spillover;

namespace NegotiationHub.Bargaining.Tests.Spillover;

public class SpilloverClosedFormTests
{
    private const double Tolerance = 1e-12;

    // d'Aspremont–Jacquemin (1988), n = 2, written with n substituted: θ = 2 − β, φ = 1 + β, (n+1)² = 9.
    [Theory]
    [InlineData(100, 1, 60, 0.0, 5)]
    [InlineData(100, 1, 60, 0.3, 5)]
    [InlineData(100, 1, 60, 0.5, 5)]
    [InlineData(100, 1, 60, 1.0, 5)]
    [InlineData(50, 2, 20, 0.75, 3)]
    [InlineData(10, 0.5, 2, 0.2, 8)]
    public void Two_firms_match_the_AJ_1988_R_and_D_levels(double a, double b, double capA, double beta, double gamma)
    {
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, 2));

        var expectedNoCooperation = 2 * (2 - beta) * (a - capA) / ((9 * b * gamma) - (2 * (2 - beta) * (1 + beta)));
        var expectedRndCooperation = 2 * (1 + beta) * (a - capA) / ((9 * b * gamma) - (2 * (1 + beta) * (1 + beta)));
        var expectedFullCooperation = (1 + beta) * (a - capA) / ((4 * b * gamma) - ((1 + beta) * (1 + beta)));
        AssertClose(expectedNoCooperation, result.NoCooperation.Outcome!.RndLevel);
        AssertClose(expectedRndCooperation, result.RndCooperation.Outcome!.RndLevel);
        AssertClose(expectedFullCooperation, result.FullCooperation.Outcome!.RndLevel);
        Assert.True(result.NoCooperation.IsValid && result.RndCooperation.IsValid && result.FullCooperation.IsValid);
    }

    [Theory]
    [InlineData(100, 1, 60, 0.3, 5)]
    [InlineData(50, 2, 20, 0.75, 3)]
    public void Two_firms_report_the_AJ_market_outcome_without_cooperation(double a, double b, double capA, double beta, double gamma)
    {
        var outcome = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, 2)).NoCooperation.Outcome!;

        var x = 2 * (2 - beta) * (a - capA) / ((9 * b * gamma) - (2 * (2 - beta) * (1 + beta)));
        var c = capA - ((1 + beta) * x);
        var q = (a - capA + ((1 + beta) * x)) / (3 * b);
        var price = a - (2 * b * q);
        var profit = ((price - c) * q) - (gamma * x * x / 2);
        var consumerSurplus = b * (2 * q) * (2 * q) / 2;
        AssertOutcome(new SpilloverOutcome(x, q, 2 * q, price, c, profit, consumerSurplus, consumerSurplus + (2 * profit)), outcome);
    }

    [Theory]
    [InlineData(100, 1, 60, 0.3, 5)]
    [InlineData(50, 2, 20, 0.75, 3)]
    public void Two_firms_report_the_AJ_market_outcome_with_RnD_cooperation(double a, double b, double capA, double beta, double gamma)
    {
        var outcome = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, 2)).RndCooperation.Outcome!;

        var x = 2 * (1 + beta) * (a - capA) / ((9 * b * gamma) - (2 * (1 + beta) * (1 + beta)));
        var c = capA - ((1 + beta) * x);
        var q = (a - capA + ((1 + beta) * x)) / (3 * b);
        var price = a - (2 * b * q);
        var profit = ((price - c) * q) - (gamma * x * x / 2);
        var consumerSurplus = b * (2 * q) * (2 * q) / 2;
        AssertOutcome(new SpilloverOutcome(x, q, 2 * q, price, c, profit, consumerSurplus, consumerSurplus + (2 * profit)), outcome);
    }

    [Theory]
    [InlineData(100, 1, 60, 0.3, 5)]
    [InlineData(50, 2, 20, 0.75, 3)]
    public void Two_firms_report_the_cartel_outcome_with_full_cooperation(double a, double b, double capA, double beta, double gamma)
    {
        var outcome = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, 2)).FullCooperation.Outcome!;

        var x = (1 + beta) * (a - capA) / ((4 * b * gamma) - ((1 + beta) * (1 + beta)));
        var c = capA - ((1 + beta) * x);
        var total = (a - c) / (2 * b);
        var price = (a + c) / 2;
        var profit = ((price - c) * total / 2) - (gamma * x * x / 2);
        var consumerSurplus = b * total * total / 2;
        AssertOutcome(new SpilloverOutcome(x, total / 2, total, price, c, profit, consumerSurplus, consumerSurplus + (2 * profit)), outcome);
    }

    [Theory]
    [InlineData(3, 0.4)]
    [InlineData(5, 0.8)]
    [InlineData(10, 0.1)]
    [InlineData(1000, 0.001)]
    public void N_firms_match_the_MODEL_formulas(int n, double beta)
    {
        const double a = 200, b = 0.5, capA = 150, gamma = 10;
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, n));

        Assert.Equal(AjFormulas.Theta(n, beta), result.Theta, Tolerance);
        Assert.Equal(AjFormulas.Phi(n, beta), result.Phi, Tolerance);
        AssertClose(AjFormulas.NoCooperation(a, b, capA, beta, gamma, n), result.NoCooperation.Outcome!.RndLevel);
        AssertClose(AjFormulas.RndCooperation(a, b, capA, beta, gamma, n), result.RndCooperation.Outcome!.RndLevel);
        AssertClose(AjFormulas.FullCooperation(a, b, capA, beta, gamma, n), result.FullCooperation.Outcome!.RndLevel);
    }

    [Theory]
    [InlineData(5, 0.8)]
    [InlineData(10, 0.1)]
    public void N_firm_Cournot_output_follows_the_MODEL_output_formula(int n, double beta)
    {
        const double a = 200, b = 0.5, capA = 150, gamma = 10;
        var outcome = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, n)).NoCooperation.Outcome!;

        // MODEL §8: q_i = [(a−A) + θx_i + (2β−1) Σ_{j≠i} x_j]/(b(n+1)) at x_i = x_j = x*.
        var x = AjFormulas.NoCooperation(a, b, capA, beta, gamma, n);
        var q = (a - capA + (AjFormulas.Theta(n, beta) * x) + ((2 * beta) - 1) * (n - 1) * x) / (b * (n + 1));
        AssertClose(q, outcome.OutputPerFirm);
        AssertClose(n * q, outcome.TotalOutput);
        AssertClose(a - (b * n * q), outcome.Price);
    }

    [Theory]
    [InlineData(2, 7.0 / 17)]
    [InlineData(3, 10.0 / 28)]
    [InlineData(10, 31.0 / 161)]
    [InlineData(1000, 3001.0 / 1006001)]
    public void The_full_cooperation_threshold_is_3n_plus_1_over_n_squared_plus_6n_plus_1(int n, double expected)
    {
        Assert.Equal(expected, SpilloverAnalysis.FullCooperationThreshold(n), Tolerance);
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 50, 0.5, 1000, n));
        Assert.Equal(expected, result.FullCooperationThreshold, Tolerance);
        Assert.Equal(0.5, result.RndCooperationThreshold);
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.Equal(expected, actual, Tolerance * Math.Max(1, Math.Abs(expected)));

    private static void AssertOutcome(SpilloverOutcome expected, SpilloverOutcome actual)
    {
        AssertClose(expected.RndLevel, actual.RndLevel);
        AssertClose(expected.OutputPerFirm, actual.OutputPerFirm);
        AssertClose(expected.TotalOutput, actual.TotalOutput);
        AssertClose(expected.Price, actual.Price);
        AssertClose(expected.UnitCost, actual.UnitCost);
        AssertClose(expected.ProfitPerFirm, actual.ProfitPerFirm);
        AssertClose(expected.ConsumerSurplus, actual.ConsumerSurplus);
        AssertClose(expected.Welfare, actual.Welfare);
    }
}
