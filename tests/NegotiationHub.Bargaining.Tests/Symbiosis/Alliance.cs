using NegotiationHub.Bargaining.Symbiosis;

namespace NegotiationHub.Bargaining.Tests.Symbiosis;

/// <summary>Test-side builders and the model's right-hand side written out from MODEL §9.</summary>
internal static class Alliance
{
    public static SymbiosisInput Two(double delta12, double delta21, double n1 = 100, double n2 = 50, double k1 = 0.8, double k2 = 1.3,
        double horizon = 10, int points = 11, double[]? initial = null) =>
        new([k1, k2], [n1, n2], [[0, delta12], [delta21, 0]], initial ?? [n1 / 2, n2 / 2], horizon, points);

    /// <summary>dQ_i/dt = k_i Q_i (1 − Q_i/N_i + Σ_{j≠i} δ_ij Q_j/N_j).</summary>
    public static double[] Rate(SymbiosisInput input, double[] q)
    {
        var n = input.MemberCount;
        var rate = new double[n];
        for (var i = 0; i < n; i++)
        {
            var bracket = 1 - (q[i] / input.Capacities[i]);
            for (var j = 0; j < n; j++)
            {
                if (j != i)
                {
                    bracket += input.Delta[i][j] * q[j] / input.Capacities[j];
                }
            }

            rate[i] = input.GrowthRates[i] * q[i] * bracket;
        }

        return rate;
    }

    /// <summary>A random alliance with weak interactions (|δ_ij| ≤ 0.6/(n−1)), so I − Δ is diagonally dominant and Q* &gt; 0.</summary>
    public static SymbiosisInput RandomWeak(Random rng, int n, double horizon = 10, int points = 11, double[]? initial = null)
    {
        double[] k = [.. Enumerable.Range(0, n).Select(_ => 0.2 + (2 * rng.NextDouble()))];
        double[] capacity = [.. Enumerable.Range(0, n).Select(_ => Math.Pow(10, rng.NextDouble() * 4))];
        var delta = Enumerable.Range(0, n)
            .Select(i => (IReadOnlyList<double>)[.. Enumerable.Range(0, n).Select(j => i == j ? 0 : (rng.NextDouble() - 0.5) * 1.2 / (n - 1))])
            .ToArray();
        return new SymbiosisInput(k, capacity, delta, initial ?? [.. capacity.Select(c => c / 2)], horizon, points);
    }
}
