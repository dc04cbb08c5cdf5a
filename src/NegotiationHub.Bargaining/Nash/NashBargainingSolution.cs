namespace NegotiationHub.Bargaining.Nash;

/// <summary>The asymmetric Nash bargaining solution k* of a <see cref="NashBargainingProblem"/> (MODEL §3).</summary>
/// <param name="Allocation">k*_i, summing to K, each ≥ d_i.</param>
/// <param name="Shares">k*_i / K.</param>
/// <param name="Ratios">q_i(k*_i)/h_i — equal for every party at the solution (the first-order condition).</param>
/// <param name="Level">The common level c = q_i/h_i found by the root finder.</param>
/// <param name="NashProduct">NP(k*) = Π (u_i(k*_i) − u_i(d_i))^h_i.</param>
/// <param name="LogNashProduct">ln NP(k*).</param>
/// <param name="Iterations">Root-finder iterations used.</param>
public sealed record NashBargainingSolution(
    IReadOnlyList<double> Allocation,
    IReadOnlyList<double> Shares,
    IReadOnlyList<double> Ratios,
    double Level,
    double NashProduct,
    double LogNashProduct,
    int Iterations);

/// <summary>
/// Solves MODEL §3 as a one-dimensional root: for a level c, <c>k_i(c) = q_i⁻¹(h_i·c)</c>; find c
/// with <c>Σ k_i(c) = K</c>.
/// </summary>
/// <remarks>
/// Each q_i is increasing and convex with q_i' ≥ 1 (see <see cref="Utilities.Utility"/>), so
/// F(c) = Σ k_i(c) − K is increasing and concave and F(K − Σd) ≤ 0. Newton's method started at
/// c₀ = K − Σd therefore climbs monotonically to the root (quadratically near it); the bracket
/// [lo, hi] with bisection is kept as a safeguard against rounding. Tolerance: 1e-12 relative.
/// </remarks>
public static class NashBargainingSolver
{
    /// <summary>Relative tolerance on Σk = K and on the level c.</summary>
    public const double Tolerance = 1e-12;

    private const int MaxIterations = 200;

    /// <summary>Solves the problem.</summary>
    public static NashBargainingSolution Solve(NashBargainingProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var n = problem.Parties;
        var pool = problem.Pool;
        var k = new double[n];

        var lo = 0.0;
        var hi = double.PositiveInfinity;
        var c = pool - problem.DisagreementSum;
        var iterations = 0;
        for (; iterations < MaxIterations; iterations++)
        {
            var sum = 0.0;
            var slope = 0.0;
            for (var i = 0; i < n; i++)
            {
                var u = problem.UtilityAt(i);
                var h = problem.PowerAt(i);
                var d = problem.DisagreementAt(i);
                k[i] = u.InverseFearOfBreakdown(h * c, d);
                slope += h / u.FearOfBreakdownSlope(k[i], d); // dk_i/dc = h_i / q_i'(k_i)
            }

            for (var i = 0; i < n; i++)
            {
                sum += k[i];
            }

            var f = sum - pool;
            if (Math.Abs(f) <= Tolerance * pool)
            {
                break;
            }

            if (f < 0)
            {
                lo = c;
            }
            else
            {
                hi = c;
            }

            var next = c - (f / slope);
            if (!(next > lo && next < hi))
            {
                next = double.IsPositiveInfinity(hi) ? 2 * Math.Max(c, lo) + 1 : 0.5 * (lo + hi);
            }

            if (Math.Abs(next - c) <= Tolerance * 1e-3 * Math.Max(c, double.Epsilon))
            {
                c = next;
                break;
            }

            c = next;
        }

        return Describe(problem, k, c, iterations + 1);
    }

    private static NashBargainingSolution Describe(NashBargainingProblem problem, double[] allocation, double level, int iterations)
    {
        var n = problem.Parties;
        var shares = new double[n];
        var ratios = new double[n];
        for (var i = 0; i < n; i++)
        {
            shares[i] = allocation[i] / problem.Pool;
            ratios[i] = problem.UtilityAt(i).FearOfBreakdown(allocation[i], problem.DisagreementAt(i)) / problem.PowerAt(i);
        }

        var log = problem.LogNashProduct(allocation);
        return new NashBargainingSolution(allocation, shares, ratios, level, Math.Exp(log), log, iterations);
    }
}
