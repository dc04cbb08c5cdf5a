using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Utilities;

namespace NegotiationHub.Bargaining.Tests.Oracles;

/// <summary>
/// How far an allocation is from the exact NBS (MODEL §3), computed in <see cref="BigFixed"/>.
/// The NBS is the k with Σk = K and q_i(k_i)/h_i equal for all i. From the engine's k, the
/// fear-of-breakdown ratios r_i = q_i(k_i)/h_i are evaluated exactly; one Newton step of that
/// system, δk_i = (C − r_i)·h_i/q_i'(k_i) with C chosen so that Σδk = K − Σk, is then the distance
/// to the exact solution up to second order (δk²·q''/q', negligible at the errors tested).
/// </summary>
internal static class NbsOracle
{
    /// <summary>max_i |δk_i| / K: the allocation's error relative to the pool.</summary>
    public static double RelativeError(NashBargainingProblem problem, IReadOnlyList<double> allocation)
    {
        var n = problem.Parties;
        var pool = BigFixed.FromDouble(problem.Pool);
        var weights = new BigFixed[n];
        var ratios = new BigFixed[n];
        var sumK = BigFixed.Zero;
        var sumWeights = BigFixed.Zero;
        var sumWeightedRatios = BigFixed.Zero;
        for (var i = 0; i < n; i++)
        {
            var k = allocation[i];
            var d = problem.Disagreement[i];
            var h = BigFixed.FromDouble(problem.Powers[i]);
            ratios[i] = Q(problem.Utilities[i], BigFixed.FromDouble(k), BigFixed.FromDouble(d)) / h;
            // dk_i/dc = h_i / q_i'(k_i); the slope needs only a few digits (it scales a tiny step).
            weights[i] = h / BigFixed.FromDouble(Slope(problem.Utilities[i], k, d));
            sumK += BigFixed.FromDouble(k);
            sumWeights += weights[i];
            sumWeightedRatios += weights[i] * ratios[i];
        }

        var level = (pool - sumK + sumWeightedRatios) / sumWeights;
        var worst = BigFixed.Zero;
        for (var i = 0; i < n; i++)
        {
            var step = BigFixed.Abs((level - ratios[i]) * weights[i]);
            if (step > worst)
            {
                worst = step;
            }
        }

        return (worst / pool).ToDouble();
    }

    /// <summary>q(k) = (u(k) − u(d))/u'(k), exactly (MODEL §2).</summary>
    public static BigFixed Q(Utility utility, BigFixed k, BigFixed d)
    {
        var p = utility.Parameter is { } value ? BigFixed.FromDouble(value) : BigFixed.Zero;
        switch (utility.Kind)
        {
            case UtilityKind.Linear:
                return k - d;
            case UtilityKind.Power:
                // (k^α − d^α)/(α k^(α−1)) = (k − d^α k^(1−α))/α
                return d.Sign == 0 ? k / p : (k - (BigFixed.Pow(d, p) * BigFixed.Pow(k, BigFixed.One - p))) / p;
            case UtilityKind.Log:
                // (ln(1 + k/s) − ln(1 + d/s))·(s + k) = (s + k)·ln((s + k)/(s + d))
                return (p + k) * BigFixed.Ln((p + k) / (p + d));
            case UtilityKind.Exponential:
                // (e^(−ρd) − e^(−ρk))/(ρ e^(−ρk)) = (e^(ρ(k−d)) − 1)/ρ
                return (BigFixed.Exp(p * (k - d)) - BigFixed.One) / p;
            default:
                throw new ArgumentOutOfRangeException(nameof(utility), utility.Kind, null);
        }
    }

    /// <summary>q'(k) in doubles, from MODEL §2's closed forms.</summary>
    private static double Slope(Utility utility, double k, double d)
    {
        var p = utility.Parameter ?? 0;
        return utility.Kind switch
        {
            UtilityKind.Linear => 1,
            UtilityKind.Power => d == 0 ? 1 / p : 1 + ((1 - p) / p * (1 - Math.Pow(d / k, p))),
            UtilityKind.Log => 1 + Math.Log((p + k) / (p + d)),
            _ => Math.Exp(p * (k - d)),
        };
    }
}
