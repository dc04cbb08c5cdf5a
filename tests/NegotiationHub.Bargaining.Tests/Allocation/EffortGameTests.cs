using NegotiationHub.Bargaining.Allocation;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Allocation;

public class EffortGameTests
{
    // n = 2 closed form (MODEL §7a): t1* = d1²(b2 − d2²) / (d1²(b2 − d2²) + d2²(b1 − d1²)).
    [Theory]
    [InlineData(1.0, 2.0, 1.0, 4.0)]
    [InlineData(1.0, 2.0, 1.0, 2.0)]
    [InlineData(0.5, 1.0, 2.0, 4.5)]
    [InlineData(3.0, 9.5, 0.1, 0.02)]
    [InlineData(1.0, 1.01, 1.0, 100.0)]
    public void Two_parties_get_the_closed_form_shares(double d1, double b1, double d2, double b2)
    {
        var expected = d1 * d1 * (b2 - (d2 * d2)) / ((d1 * d1 * (b2 - (d2 * d2))) + (d2 * d2 * (b1 - (d1 * d1))));

        var t = EffortGame.Optimize(new EffortGameInput([d1, d2], [b1, b2])).Outcome.Shares;

        Assert.Equal(expected, t[0], 12);
        Assert.Equal(1 - expected, t[1], 12);

        // Equivalently t_i ∝ w_i/(1 − w_i).
        double w1 = d1 * d1 / b1, w2 = d2 * d2 / b2;
        var ratio = w1 / (1 - w1) / (w2 / (1 - w2));
        Assert.Equal(ratio, t[0] / t[1], 1e-9 * ratio);
    }

    [Fact]
    public void Two_parties_numerical_maximum_matches_the_closed_form()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 200; trial++)
        {
            var game = RandomGame(2, random);

            var t1 = GoldenSectionMaximum(x => TotalValue(game, [x, 1 - x]));
            var optimum = EffortGame.Optimize(Input(game));

            Assert.Equal(t1, optimum.Outcome.Shares[0], 1e-6);
        }
    }

    [Fact]
    public void A_hand_computed_outcome()
    {
        // d = (1, 1), b = (2, 4), C0 = (0.1, 0.2), P0 = 1, t = (½, ½):
        // w = (0.5, 0.25), S = 1/(1 − 0.375) = 1.6, a = (0.5·1.6/2, 0.5·1.6/4) = (0.4, 0.2),
        // X = 0.6, P = 0.6 + 0.18 + 1 = 1.78, C = (0.1 + 0.16, 0.2 + 0.08) = (0.26, 0.28),
        // V_i = 0.89 − C_i = (0.63, 0.61), V = 1.78 − 0.54 = 1.24.
        var outcome = EffortGame.Evaluate(new EffortGameInput([1, 1], [2, 4], [0.1, 0.2], 1), [0.5, 0.5]);

        Assert.Equal(1.6, outcome.EffortMultiplier, 14);
        Assert.Equal([0.4, 0.2], outcome.Efforts.Select(a => Math.Round(a, 14)));
        Assert.Equal(1.78, outcome.Output, 14);
        Assert.Equal([0.26, 0.28], outcome.Costs.Select(c => Math.Round(c, 14)));
        Assert.Equal([0.63, 0.61], outcome.Payoffs.Select(v => Math.Round(v, 14)));
        Assert.Equal(1.24, outcome.TotalValue, 14);
    }

    [Fact]
    public void The_optimum_matches_an_independent_projected_gradient_ascent()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 40; trial++)
        {
            var n = random.Next(3, 7);
            var game = RandomGame(n, random);

            var numerical = ProjectedGradientMaximum(game);
            var optimum = EffortGame.Optimize(Input(game));

            Assert.Equal(TotalValue(game, numerical), optimum.Outcome.TotalValue, 1e-9 * Math.Abs(optimum.Outcome.TotalValue));
            for (var i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(numerical[i] - optimum.Outcome.Shares[i]) <= 1e-5, $"trial {trial}, party {i}");
            }
        }
    }

    [Fact]
    public void A_weak_party_gets_no_share_at_the_optimum()
    {
        // w = (0.9, 0.9, 0.1): by symmetry the two strong parties split evenly; giving the weak
        // party any share lowers V (its directional derivative is negative).
        var game = new Game([0.9, 0.9, 0.1], [1, 1, 1], [0, 0, 0], 0);

        var t = EffortGame.Optimize(Input(game)).Outcome.Shares;

        Assert.Equal([0.5, 0.5, 0], t.Select(x => Math.Round(x, 12)));
        const double h = 1e-6;
        Assert.True(TotalValue(game, [0.5 - (h / 2), 0.5 - (h / 2), h]) < TotalValue(game, [0.5, 0.5, 0]));
    }

    [Fact]
    public void Efforts_stay_finite_when_w_is_just_below_one()
    {
        var outcome = EffortGame.Optimize(new EffortGameInput([1, 1], [1 + 1e-12, 2])).Outcome;

        Assert.True(double.IsFinite(outcome.TotalValue));
        Assert.All(outcome.Efforts, a => Assert.True(double.IsFinite(a)));
        Assert.True(outcome.Shares[0] > 0.999);
    }

    [Fact]
    public void Shares_stay_defined_when_one_party_dwarfs_the_others()
    {
        // ρ = b/d² − 1 ≈ (1.1e−15, 199, 299): ρ_0 is below the last digit of ρ_1 (199 + ρ_0 == 199),
        // yet t = (1 − ρ/θ)₊ with θ = ρ_0 + ρ_1 is defined: the dominant party takes (almost) everything.
        var optimum = EffortGame.Optimize(new EffortGameInput([1, 1, 1], [1 + 1e-15, 200, 300]));

        Assert.All(optimum.Outcome.Shares, t => Assert.True(double.IsFinite(t) && t >= 0));
        Assert.Equal(1, optimum.Outcome.Shares.Sum(), 12);
        Assert.True(optimum.Outcome.Shares[0] > 0.999999);
        Assert.True(double.IsFinite(optimum.Outcome.TotalValue));
    }

    public static TheoryData<double[]?, double[]?, double[]?, double, string> BadInputs => new()
    {
        { [1, 1], [0.5, 2], null, 0, "costCoefficients[0]" },   // w_0 = 2
        { [1, 2], [2, 4], null, 0, "costCoefficients[1]" },     // w_1 = 1 exactly
        { [1, 0], [2, 2], null, 0, "contributions[1]" },
        { [1, -1], [2, 2], null, 0, "contributions[1]" },
        { [1, double.NaN], [2, 2], null, 0, "contributions[1]" },
        { [1, 1], [2, double.PositiveInfinity], null, 0, "costCoefficients[1]" },
        { [1], [2], null, 0, "contributions" },
        { [.. Enumerable.Repeat(1.0, 17)], [.. Enumerable.Repeat(2.0, 17)], null, 0, "contributions" },
        { null, [2, 2], null, 0, "contributions" },
        { [1, 1], [2, 2, 2], null, 0, "costCoefficients" },
        { [1, 1], [2, 2], [0, -1], 0, "fixedCosts[1]" },
        { [1, 1], [2, 2], [0], 0, "fixedCosts" },
        { [1, 1], [2, 2], null, double.NaN, "baseOutput" },
        { [1, 1], [2, 2], null, -1, "baseOutput" },
        { [1, 1], [2, 2], null, 1e16, "baseOutput" },
        { [1e-170, 1], [1, 2], null, 0, "contributions[0]" },  // d² underflows
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_inputs_are_rejected_naming_the_field(double[]? d, double[]? b, double[]? c0, double p0, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => new EffortGameInput(d, b, c0, p0)).Errors.Single();

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void An_effort_weight_of_one_or_more_is_rejected_with_the_rule()
    {
        var error = Assert.Throws<ModelValidationException>(() => new EffortGameInput([1, 3], [2, 9])).Errors.Single();

        Assert.Equal("costCoefficients[1]", error.Field);
        Assert.Contains("w_i = d_i²/b_i < 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.4 }, "shares")]
    [InlineData(new[] { 0.5, 0.25, 0.25 }, "shares")]
    [InlineData(new[] { 1.5, -0.5 }, "shares[1]")]
    [InlineData(new[] { double.NaN, 1.0 }, "shares[0]")]
    public void Bad_shares_are_rejected_naming_the_field(double[] shares, string field)
    {
        var input = new EffortGameInput([1, 1], [2, 2]);

        var error = Assert.Throws<ModelValidationException>(() => EffortGame.Evaluate(input, shares)).Errors.Single();

        Assert.Equal(field, error.Field);
    }

    // ---- An independent implementation of MODEL §7a, used as the oracle. ----

    internal sealed record Game(double[] W, double[] D, double[] C0, double P0)
    {
        public double[] B => [.. D.Select((d, i) => d * d / W[i])];
    }

    internal static EffortGameInput Input(Game game) => new(game.D, game.B, game.C0, game.P0);

    private static Game RandomGame(int n, Random random) => new(
        [.. Enumerable.Range(0, n).Select(_ => 0.02 + (0.96 * random.NextDouble()))],
        [.. Enumerable.Range(0, n).Select(_ => 0.2 + (3 * random.NextDouble()))],
        [.. Enumerable.Range(0, n).Select(_ => 5 * random.NextDouble())],
        10 * random.NextDouble());

    internal static double TotalValue(Game game, double[] t)
    {
        var b = game.B;
        var s = 1 / (1 - t.Select((ti, i) => ti * game.D[i] * game.D[i] / b[i]).Sum());
        var a = t.Select((ti, i) => ti * game.D[i] * s / b[i]).ToArray();
        var x = a.Select((ai, i) => ai * game.D[i]).Sum();
        var output = x + (x * x / 2) + game.P0;
        var costs = a.Select((ai, i) => game.C0[i] + (b[i] * ai * ai / 2)).Sum();
        return output - costs;
    }

    private static double[] RandomSimplexPoint(int n, Random random)
    {
        var e = Enumerable.Range(0, n).Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();
        return [.. e.Select(x => x / e.Sum())];
    }

    private static double GoldenSectionMaximum(Func<double, double> f)
    {
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double lo = 0, hi = 1;
        for (var k = 0; k < 200 && hi - lo > 1e-14; k++)
        {
            var x1 = hi - (ratio * (hi - lo));
            var x2 = lo + (ratio * (hi - lo));
            if (f(x1) < f(x2))
            {
                lo = x1;
            }
            else
            {
                hi = x2;
            }
        }

        return (lo + hi) / 2;
    }

    // Projected gradient ascent with a central-difference gradient and a backtracking step.
    private static double[] ProjectedGradientMaximum(Game game)
    {
        var n = game.D.Length;
        var t = Enumerable.Repeat(1.0 / n, n).ToArray();
        var value = TotalValue(game, t);
        var step = 0.01;
        for (var iteration = 0; iteration < 20000; iteration++)
        {
            var gradient = new double[n];
            for (var i = 0; i < n; i++)
            {
                const double h = 1e-7;
                var up = (double[])t.Clone();
                var down = (double[])t.Clone();
                up[i] += h;
                down[i] -= h;
                gradient[i] = (TotalValue(game, up) - TotalValue(game, down)) / (2 * h);
            }

            while (true)
            {
                var candidate = ProjectOntoSimplex([.. t.Select((x, i) => x + (step * gradient[i]))]);
                var candidateValue = TotalValue(game, candidate);
                if (candidateValue >= value)
                {
                    var moved = candidate.Select((x, i) => Math.Abs(x - t[i])).Max();
                    (t, value) = (candidate, candidateValue);
                    step *= 1.5;
                    if (moved < 1e-13)
                    {
                        return t;
                    }

                    break;
                }

                step /= 2;
                if (step < 1e-20)
                {
                    return t;
                }
            }
        }

        return t;
    }

    private static double[] ProjectOntoSimplex(double[] y)
    {
        var sorted = y.OrderByDescending(v => v).ToArray();
        double cumulative = 0, tau = 0;
        for (var k = 0; k < sorted.Length; k++)
        {
            cumulative += sorted[k];
            var candidate = (cumulative - 1) / (k + 1);
            if (sorted[k] - candidate > 0)
            {
                tau = candidate;
            }
        }

        return [.. y.Select(v => Math.Max(0, v - tau))];
    }
}
