using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Power;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Bargaining.Tests.Oracles;
using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Precision;

/// <summary>
/// The cases of issue 19, measured against <see cref="NbsOracle"/> and <see cref="PowerOracle"/>:
/// each failed (a wrong allocation, a cancelled power, a non-finite number) before the fix.
/// </summary>
public class ExtremeMagnitudeTests
{
    public static TheoryData<double> LargeScales => [1e4, 1e8, 1e12, 1e14, 1e16, 1e18, 1e20, 1e40, 1e100];

    [Theory]
    [MemberData(nameof(LargeScales))]
    public void A_log_utility_with_a_scale_far_above_the_pool_still_gets_the_NBS(double scale)
    {
        // K = 100, h = (.4, .35, .25), linear / power ½ / log s, d = (10, 5, 0).
        var problem = new NashBargainingProblem(100, [0.4, 0.35, 0.25],
            [Utility.Linear, Utility.Create(UtilityKind.Power, 0.5), Utility.Create(UtilityKind.Log, scale)], [10, 5, 0]);

        var solution = NashBargainingSolver.Solve(problem);

        Assert.Equal(100, solution.Allocation.Sum(), 1e-10);
        Assert.True(NbsOracle.RelativeError(problem, solution.Allocation) <= 1e-9, $"error {NbsOracle.RelativeError(problem, solution.Allocation)}");
        Assert.True(solution.Allocation[2] > 0);
        Assert.True(double.IsFinite(solution.LogNashProduct));
    }

    [Theory]
    [InlineData(1e16)]
    [InlineData(1e18)]
    [InlineData(1e100)]
    public void Three_log_utilities_with_huge_scales_split_like_linear_ones(double scale)
    {
        // As s → ∞, ln(1 + k/s) ≈ k/s: the NBS tends to linear's k_i = d_i + h_i (K − Σd) = (44, 34.75, 21.25).
        var log = Utility.Create(UtilityKind.Log, scale);
        var problem = new NashBargainingProblem(100, [0.4, 0.35, 0.25], [log, log, log], [10, 5, 0]);

        var solution = NashBargainingSolver.Solve(problem);

        Assert.Equal(44, solution.Allocation[0], 1e-6);
        Assert.Equal(34.75, solution.Allocation[1], 1e-6);
        Assert.Equal(21.25, solution.Allocation[2], 1e-6);
        Assert.True(NbsOracle.RelativeError(problem, solution.Allocation) <= 1e-9);
    }

    [Fact]
    public void Raw_power_does_not_cancel_when_one_strength_dwarfs_a_column()
    {
        double[][] strengths = [[3.3e9, 5], [0.07, 3], [0.011, 2], [0.3, 9]];
        double[] weights = [0.5, 0.5];

        var result = BargainingPower.Compute(new BargainingPowerInput(strengths, weights));

        var (raw, power) = PowerOracle.Compute(strengths, weights);
        for (var i = 0; i < strengths.Length; i++)
        {
            Assert.Equal(raw[i], result.RawPower[i], 1e-13 * raw[i]);
            Assert.Equal(power[i], result.Power[i], 1e-13 * power[i]);
        }
    }

    [Fact]
    public void A_strength_above_the_last_digit_of_the_column_sum_gives_finite_ratios()
    {
        double[][] strengths = [[1e17, 1], [1, 1], [1, 1]];

        var result = BargainingPower.Compute(new BargainingPowerInput(strengths, [0.5, 0.5]));

        var (_, power) = PowerOracle.Compute(strengths, [0.5, 0.5]);
        Assert.All(result.Ratios.SelectMany(r => r), r => Assert.True(double.IsFinite(r)));
        Assert.Equal(2e-17, result.Ratios[1][0], 1e-30); // 1 / mean(1e17, 1)
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(power[i], result.Power[i], 1e-13 * power[i]);
        }
    }

    public static TheoryData<double, string> PoolsOutOfRange => new()
    {
        { 1e308, "pool" },
        { 1e101, "pool" },
        { 5e-324, "pool" },
        { 1e-101, "pool" },
    };

    [Theory]
    [MemberData(nameof(PoolsOutOfRange))]
    public void A_pool_that_no_answer_can_represent_is_refused_naming_the_bound(double pool, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => new NashBargainingProblem(pool, [0.5, 0.5]));

        Assert.Equal(field, error.Errors[0].Field);
        Assert.Contains("[1E-100, 1E+100]", error.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(UtilityKind.Power, 5e-324, "utilities[1].alpha")]
    [InlineData(UtilityKind.Power, 1e-13, "utilities[1].alpha")]
    [InlineData(UtilityKind.Log, 5e-324, "utilities[1].scale")]
    [InlineData(UtilityKind.Log, 1e101, "utilities[1].scale")]
    [InlineData(UtilityKind.Exponential, 5e-324, "utilities[1].rho")]
    public void Utility_parameters_outside_their_bounds_are_refused(UtilityKind kind, double parameter, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => Utility.Create(kind, parameter, "utilities[1]"));

        Assert.Equal(field, error.Errors[0].Field);
    }

    [Fact]
    public void Strengths_too_far_apart_for_a_representable_power_are_refused_naming_strengths()
    {
        // h_1 would be about 1e−200 / 1e200 — below the smallest normal double.
        var error = Assert.Throws<ModelValidationException>(() => BargainingPower.Compute(new BargainingPowerInput([[1e100], [1e-100]], [1.0])));

        Assert.StartsWith("strengths", error.Errors[0].Field, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e-12, 0.5, 1e-12)]
    [InlineData(1e15, 1e-12, 1e-12)]
    [InlineData(1e-12, 1, 1e15)]
    public void Tiny_and_huge_problems_have_finite_answers_and_round_figures(double pool, double alpha, double scaleFactor)
    {
        var problem = new NashBargainingProblem(pool, [0.3, 0.3, 0.4],
            [Utility.Create(UtilityKind.Power, alpha), Utility.Create(UtilityKind.Log, pool * scaleFactor), Utility.Create(UtilityKind.Exponential, 1 / pool)],
            [0.1 * pool, 0, 0.2 * pool]);

        var solution = NashBargainingSolver.Solve(problem);
        var round = RoundAnalyzer.Analyze(problem, [0.1 * pool, 0.5 * pool, 0.5 * pool], 0.5, solution);

        Assert.True(NbsOracle.RelativeError(problem, solution.Allocation) <= 1e-9);
        Assert.True(double.IsFinite(solution.LogNashProduct) && double.IsFinite(solution.NashProduct));
        Assert.All(solution.Ratios, r => Assert.True(double.IsFinite(r)));
        Assert.True(double.IsFinite(round.NashEfficiency) && double.IsFinite(round.Distance) && double.IsFinite(round.RatioSpread));
    }
}
