using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Nash;

public class NashBargainingSolverTests
{
    [Theory]
    // MODEL §3 check: linear utilities, d = 0 → k_i = h_i·K.
    [InlineData(100.0, new[] { 0.5, 0.5 })]
    [InlineData(100.0, new[] { 0.4, 0.3, 0.2, 0.1 })]
    [InlineData(1.0, new[] { 0.7, 0.3 })]
    [InlineData(2500.0, new[] { 0.05, 0.15, 0.3, 0.25, 0.25 })]
    public void Linear_utilities_without_disagreement_split_the_pool_by_power(double pool, double[] powers)
    {
        var solution = NashBargainingSolver.Solve(new NashBargainingProblem(pool, powers));

        for (var i = 0; i < powers.Length; i++)
        {
            Assert.Equal(powers[i] * pool, solution.Allocation[i], 1e-10 * pool);
            Assert.Equal(powers[i], solution.Shares[i], 1e-12);
        }
    }

    [Theory]
    // MODEL §3 check: power utilities, d = 0 → k_i ∝ α_i·h_i.
    [InlineData(10.0, new[] { 0.5, 0.5 }, new[] { 0.5, 1.0 })]
    [InlineData(90.0, new[] { 0.25, 0.25, 0.25, 0.25 }, new[] { 0.2, 0.4, 0.6, 0.8 })]
    [InlineData(1.0, new[] { 0.6, 0.3, 0.1 }, new[] { 0.9, 0.1, 0.5 })]
    public void Power_utilities_without_disagreement_split_in_proportion_to_alpha_times_power(double pool, double[] powers, double[] alphas)
    {
        var utilities = alphas.Select((a, i) => Utility.Create(UtilityKind.Power, a, $"utilities[{i}]")).ToArray();
        var solution = NashBargainingSolver.Solve(new NashBargainingProblem(pool, powers, utilities));

        var weights = powers.Zip(alphas, (h, a) => h * a).ToArray();
        for (var i = 0; i < powers.Length; i++)
        {
            Assert.Equal(pool * weights[i] / weights.Sum(), solution.Allocation[i], 1e-10 * pool);
        }
    }

    [Fact]
    public void Linear_utilities_with_disagreement_points_split_the_surplus_by_power()
    {
        // q_i = k_i − d_i and q_i/h_i equal ⇒ k_i = d_i + h_i·(K − Σd). K = 100, d = (10, 20, 0), h = (0.5, 0.25, 0.25).
        var solution = NashBargainingSolver.Solve(new NashBargainingProblem(100, [0.5, 0.25, 0.25], disagreement: [10, 20, 0]));

        Assert.Equal(10 + 35, solution.Allocation[0], 1e-9);
        Assert.Equal(20 + 17.5, solution.Allocation[1], 1e-9);
        Assert.Equal(0 + 17.5, solution.Allocation[2], 1e-9);
    }

    [Fact]
    public void Exponential_utilities_meet_the_first_order_condition_in_closed_form()
    {
        // d = 0: q_i = (e^(ρ_i k_i) − 1)/ρ_i = h_i·c ⇒ k_i = ln(1 + ρ_i h_i c)/ρ_i. With ρ = (1, 2), h = (½, ½)
        // and K = ln 3 + ln(5)/2 the level c = 4 solves Σk = K: k = (ln 3, ln(5)/2).
        var utilities = new[] { Utility.Create(UtilityKind.Exponential, 1), Utility.Create(UtilityKind.Exponential, 2) };
        var pool = Math.Log(3) + (Math.Log(5) / 2);
        var solution = NashBargainingSolver.Solve(new NashBargainingProblem(pool, [0.5, 0.5], utilities));

        Assert.Equal(Math.Log(3), solution.Allocation[0], 1e-12);
        Assert.Equal(Math.Log(5) / 2, solution.Allocation[1], 1e-12);
        Assert.Equal(4, solution.Level, 1e-10);
    }

    public static TheoryData<double, double[]?, double[]?, string> BadProblems => new()
    {
        { double.NaN, new[] { 0.5, 0.5 }, null, "pool" },
        { 0, new[] { 0.5, 0.5 }, null, "pool" },
        { -5, new[] { 0.5, 0.5 }, null, "pool" },
        { double.PositiveInfinity, new[] { 0.5, 0.5 }, null, "pool" },
        { 10, null, null, "powers" },
        { 10, new[] { 1.0 }, null, "powers" },
        { 10, new[] { 0.5, 0.6 }, null, "powers" },
        { 10, new[] { 1.2, -0.2 }, null, "powers[1]" },
        { 10, new[] { 0.5, double.NaN }, null, "powers[1]" },
        { 10, new[] { 0.5, 0.5 }, new[] { 5.0, 5.0 }, "disagreement" },
        { 10, new[] { 0.5, 0.5 }, new[] { -1.0, 0 }, "disagreement[0]" },
        { 10, new[] { 0.5, 0.5 }, new[] { 1.0 }, "disagreement" },
        { 10, new[] { 0.5, 0.5 }, new[] { 1.0, double.NegativeInfinity }, "disagreement[1]" },
        { 10, Enumerable.Repeat(1.0 / 17, 17).ToArray(), null, "powers" },
    };

    [Fact]
    public void An_exponential_utility_whose_fear_would_overflow_is_rejected()
    {
        var utilities = new[] { Utility.Linear, Utility.Create(UtilityKind.Exponential, 8) };

        var error = Assert.Throws<ModelValidationException>(() => new NashBargainingProblem(100, [0.5, 0.5], utilities));

        Assert.Equal("utilities[1].rho", error.Errors[0].Field);
    }

    [Theory]
    [MemberData(nameof(BadProblems))]
    public void Invalid_problem_names_the_field(double pool, double[]? powers, double[]? disagreement, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => new NashBargainingProblem(pool, powers, null, disagreement));

        Assert.Equal(field, error.Errors[0].Field);
    }
}
