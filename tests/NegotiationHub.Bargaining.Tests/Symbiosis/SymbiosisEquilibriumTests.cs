using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using NegotiationHub.Bargaining.Symbiosis;

namespace NegotiationHub.Bargaining.Tests.Symbiosis;

public class SymbiosisEquilibriumTests
{
    // MODEL §9, n = 2: Q₁* = N₁(1+δ₁)/(1−δ₁δ₂), Q₂* = N₂(1+δ₂)/(1−δ₁δ₂), stable iff δ₁δ₂ < 1 with Q* > 0.
    [Theory]
    [InlineData(0.3, 0.4)]     // mutualism, δ₁δ₂ = 0.12
    [InlineData(0.99, 1.0)]    // δ₁δ₂ = 0.99 < 1
    [InlineData(1.01, 1.0)]    // δ₁δ₂ = 1.01 > 1: Q* < 0
    [InlineData(2.0, 2.0)]     // δ₁δ₂ = 4: Q* < 0
    [InlineData(-0.8, -0.9)]   // competition, δ₁δ₂ = 0.72: coexistence
    [InlineData(-1.2, -1.1)]   // competition, δ₁δ₂ = 1.32 > 1: Q* > 0 but a saddle
    [InlineData(-1.5, -1.5)]   // δ₁δ₂ = 2.25 > 1: Q* > 0 but a saddle
    [InlineData(0.5, -0.8)]    // parasitism, δ₁δ₂ = −0.4
    [InlineData(0.5, -3.0)]    // δ₁δ₂ = −1.5 < 1 but Q₂* < 0
    [InlineData(0.0, 0.0)]     // neutralism: each at capacity
    public void Two_members_match_the_closed_form(double d1, double d2)
    {
        const double n1 = 100, n2 = 50;
        var equilibrium = LogisticSymbiosis.FindEquilibrium(Alliance.Two(d1, d2, n1, n2));

        var q1 = n1 * (1 + d1) / (1 - (d1 * d2));
        var q2 = n2 * (1 + d2) / (1 - (d1 * d2));
        var positive = q1 > 0 && q2 > 0;
        Assert.Equal(positive ? EquilibriumStatus.Positive : EquilibriumStatus.NotPositive, equilibrium.Status);
        Assert.Equal(q1, equilibrium.Sizes![0], 1e-10 * Math.Abs(q1));
        Assert.Equal(q2, equilibrium.Sizes[1], 1e-10 * Math.Abs(q2));
        Assert.Equal(positive && d1 * d2 < 1, equilibrium.IsStable);
    }

    [Theory]
    [InlineData(0.3, 0.4)]
    [InlineData(-0.8, -0.9)]
    [InlineData(-1.5, -1.5)]
    [InlineData(0.5, -0.8)]
    public void Two_member_eigenvalues_follow_from_trace_and_determinant(double d1, double d2)
    {
        const double k1 = 0.8, k2 = 1.3;
        var equilibrium = LogisticSymbiosis.FindEquilibrium(Alliance.Two(d1, d2, k1: k1, k2: k2));

        // J is similar to diag(k∘y)(Δ − I): trace −(k₁y₁ + k₂y₂), determinant k₁y₁k₂y₂(1 − δ₁δ₂).
        var y1 = (1 + d1) / (1 - (d1 * d2));
        var y2 = (1 + d2) / (1 - (d1 * d2));
        var trace = -((k1 * y1) + (k2 * y2));
        var det = k1 * y1 * k2 * y2 * (1 - (d1 * d2));
        var root = Complex.Sqrt((trace * trace) - (4 * det));
        Complex[] expected = [(trace + root) / 2, (trace - root) / 2];

        var actual = equilibrium.Eigenvalues!;
        Assert.Equal(2, actual.Count);
        foreach (var e in expected)
        {
            Assert.Contains(actual, a => Complex.Abs(new Complex(a.Real, a.Imaginary) - e) < 1e-10);
        }
    }

    [Fact]
    public void General_equilibria_solve_I_minus_delta_times_y_equals_one()
    {
        var rng = new Random(2024);
        for (var c = 0; c < 200; c++)
        {
            var input = Alliance.RandomWeak(rng, rng.Next(2, 17));
            var equilibrium = LogisticSymbiosis.FindEquilibrium(input);

            var y = equilibrium.Relative!;
            for (var i = 0; i < input.MemberCount; i++)
            {
                var row = y[i] - Enumerable.Range(0, input.MemberCount).Sum(j => input.Delta[i][j] * y[j]);
                Assert.Equal(1, row, 1e-10);
                Assert.Equal(input.Capacities[i] * y[i], equilibrium.Sizes![i], 1e-12 * equilibrium.Sizes[i]);
            }

            // Weak interactions: I − Δ is strictly diagonally dominant, so y > 0, and the Jacobian is stable.
            Assert.Equal(EquilibriumStatus.Positive, equilibrium.Status);
            Assert.True(equilibrium.IsStable);
        }
    }

    [Fact]
    public void The_Jacobian_matches_finite_differences_of_the_growth_law()
    {
        var rng = new Random(7);
        for (var c = 0; c < 20; c++)
        {
            var input = Alliance.RandomWeak(rng, rng.Next(2, 17));
            var equilibrium = LogisticSymbiosis.FindEquilibrium(input);
            var q = equilibrium.Sizes!.ToArray();

            for (var j = 0; j < input.MemberCount; j++)
            {
                var h = 1e-6 * q[j];
                var up = (double[])q.Clone();
                var down = (double[])q.Clone();
                up[j] += h;
                down[j] -= h;
                var (fUp, fDown) = (Alliance.Rate(input, up), Alliance.Rate(input, down));
                for (var i = 0; i < input.MemberCount; i++)
                {
                    var numeric = (fUp[i] - fDown[i]) / (2 * h);
                    var scale = input.GrowthRates[i] * q[i] / input.Capacities[j];
                    Assert.Equal(numeric, equilibrium.Jacobian![i][j], 1e-6 * scale);
                }
            }
        }
    }

    [Fact]
    public void Each_reported_eigenvalue_makes_J_minus_lambda_I_singular_and_they_sum_to_the_trace()
    {
        var rng = new Random(11);
        var (complexCases, unstableCases) = (0, 0);
        for (var c = 0; c < 20; c++)
        {
            // Strong random interactions give complex pairs and unstable cases too.
            var n = rng.Next(2, 9);
            var delta = Enumerable.Range(0, n)
                .Select(i => (IReadOnlyList<double>)[.. Enumerable.Range(0, n).Select(j => i == j ? 0 : (rng.NextDouble() - 0.5) * 3)])
                .ToArray();
            var input = new SymbiosisInput([.. Enumerable.Repeat(1.0, n)], [.. Enumerable.Range(1, n).Select(i => 10.0 * i)], delta, [.. Enumerable.Repeat(1.0, n)], 1, 2);
            var equilibrium = LogisticSymbiosis.FindEquilibrium(input);
            if (equilibrium.Status == EquilibriumStatus.Singular)
            {
                continue;
            }

            var j = Matrix<Complex>.Build.Dense(n, n, (r, s) => equilibrium.Jacobian![r][s]);
            var norm = j.L2Norm();
            foreach (var e in equilibrium.Eigenvalues!)
            {
                var shifted = j - (Matrix<Complex>.Build.DenseIdentity(n) * new Complex(e.Real, e.Imaginary));
                Assert.True(shifted.Svd(computeVectors: false).S.Select(s => s.Magnitude).Min() < 1e-9 * norm);
            }

            var trace = Enumerable.Range(0, n).Sum(i => equilibrium.Jacobian![i][i]);
            Assert.Equal(trace, equilibrium.Eigenvalues!.Sum(e => e.Real), 1e-9 * norm);
            Assert.Equal(0, equilibrium.Eigenvalues!.Sum(e => e.Imaginary), 1e-9 * norm);
            Assert.Equal(
                equilibrium.Status == EquilibriumStatus.Positive && equilibrium.Eigenvalues!.All(e => e.Real < 0),
                equilibrium.IsStable);
            complexCases += equilibrium.Eigenvalues!.Any(e => e.Imaginary != 0) ? 1 : 0;
            unstableCases += equilibrium.Eigenvalues!.Any(e => e.Real > 0) ? 1 : 0;
        }

        Assert.True(complexCases > 0 && unstableCases > 0, $"the sample should cover complex ({complexCases}) and unstable ({unstableCases}) spectra");
    }

    [Fact]
    public void Eigenvalues_are_listed_by_descending_real_part()
    {
        var equilibrium = LogisticSymbiosis.FindEquilibrium(Alliance.Two(-1.5, -1.5));

        Assert.True(equilibrium.Eigenvalues![0].Real > 0, "a saddle has one growing direction");
        Assert.True(equilibrium.Eigenvalues[1].Real < 0);
    }

    [Fact]
    public void A_singular_system_is_reported_not_thrown()
    {
        var equilibrium = LogisticSymbiosis.FindEquilibrium(Alliance.Two(1, 1));

        Assert.Equal(EquilibriumStatus.Singular, equilibrium.Status);
        Assert.Null(equilibrium.Sizes);
        Assert.Null(equilibrium.Eigenvalues);
        Assert.False(equilibrium.IsStable);
    }

    [Fact]
    public void A_singular_three_member_system_is_reported_not_thrown()
    {
        var input = new SymbiosisInput([1, 1, 1], [10, 20, 30], [[0, 1, 0], [1, 0, 0], [0, 0, 0]], [1, 1, 1], 1, 2);

        Assert.Equal(EquilibriumStatus.Singular, LogisticSymbiosis.FindEquilibrium(input).Status);
    }

    [Fact]
    public void An_overflowing_equilibrium_is_reported_not_returned_as_infinity()
    {
        // y ≈ 1e5 at δ₁δ₂ = 0.99998; N = 1e305 puts Q* beyond the largest double.
        var equilibrium = LogisticSymbiosis.FindEquilibrium(Alliance.Two(0.99999, 0.99999, 1e305, 1e305));

        Assert.Equal(EquilibriumStatus.NotRepresentable, equilibrium.Status);
        Assert.Null(equilibrium.Sizes);
    }
}
