using NegotiationHub.Bargaining.Validation;

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
/// F(c) = Σ k_i(c) − K is increasing and concave. The root is bracketed from the start:
/// k_i(c) ≤ d_i + h_i·c gives F(K − Σd) ≤ 0, and at c = q_j(K)/h_j party j alone reaches K, so
/// F ≥ 0 there. Newton's method from the left end climbs monotonically to the root (a concave
/// F's tangent never overshoots it), quadratically near it; a step that leaves the bracket is
/// replaced by bisection. It stops when |F(c)| ≤ 1e−12·K — a tolerance relative to the pool,
/// never an iteration cap: a problem that cannot get there is refused with the reason.
/// </remarks>
public static class NashBargainingSolver
{
    /// <summary>Relative tolerance on Σk = K.</summary>
    public const double Tolerance = 1e-12;

    // Bisection alone halves a bracket of at most 2^2100 in 2100 steps; Newton needs a handful.
    private const int MaxIterations = 4096;

    /// <summary>Solves the problem.</summary>
    /// <exception cref="ModelValidationException">The root cannot be found to the tolerance (named as <c>pool</c>, with the reason).</exception>
    public static NashBargainingSolution Solve(NashBargainingProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var n = problem.Parties;
        var pool = problem.Pool;
        var k = new double[n];

        var lo = pool - problem.DisagreementSum;
        var hi = double.PositiveInfinity;
        for (var i = 0; i < n; i++)
        {
            var u = problem.UtilityAt(i);
            hi = Math.Min(hi, u.FearOfBreakdown(pool, problem.DisagreementAt(i)) / problem.PowerAt(i));
        }

        if (!(hi >= lo))
        {
            hi = double.PositiveInfinity; // q_j(K)/h_j overflowed: grow the bracket instead
        }

        var c = lo;
        var f = double.NaN;
        var iterations = 0;
        // dk_i/dc = h_i / q_i'(k_i) at the last level: k_i + (dk_i/dc)·Δc predicts the next k_i, which
        // starts the inner solves a digit or two from their roots (quadratically closer as c converges).
        Span<double> rates = n <= 16 ? stackalloc double[n] : new double[n];
        var previous = double.NaN;
        while (iterations++ < MaxIterations)
        {
            var sum = 0.0;
            var slope = 0.0;
            for (var i = 0; i < n; i++)
            {
                var u = problem.UtilityAt(i);
                var h = problem.PowerAt(i);
                var d = problem.DisagreementAt(i);
                var guess = double.IsNaN(previous) ? double.NaN : k[i] + (rates[i] * (c - previous));
                k[i] = u.InverseFearOfBreakdown(h * c, d, guess);
                rates[i] = h / u.FearOfBreakdownSlope(k[i], d);
                sum += k[i];
                slope += rates[i];
            }

            previous = c;

            f = sum - pool;
            if (Math.Abs(f) <= Tolerance * pool)
            {
                return Describe(problem, k, c, iterations);
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
                next = double.IsPositiveInfinity(hi) ? 2 * lo : lo + (0.5 * (hi - lo));
            }

            if (next == c || !double.IsFinite(next))
            {
                break; // the bracket is down to adjacent doubles
            }

            c = next;
        }

        throw new ModelValidationException("pool",
            $"the bargaining solution could not be computed to {Tolerance:G2}·K: Σk − K = {Guard.Format(f)} after {iterations - 1} steps; "
            + "the utilities' parameters and the disagreement points are too far apart in magnitude from the pool for double precision — express them in other units");
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
