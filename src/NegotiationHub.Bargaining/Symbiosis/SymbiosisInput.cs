using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Symbiosis;

/// <summary>
/// An alliance of n members under the logistic symbiosis model of MODEL §9:
/// <c>dQ_i/dt = k_i Q_i (1 − Q_i/N_i + Σ_{j≠i} δ_ij Q_j/N_j)</c>, integrated from Q(0) over [0, T].
/// Validated on construction; an instance always satisfies every rule below.
/// </summary>
/// <remarks>
/// Error field names are the camelCase JSON paths: <c>growthRates</c>, <c>growthRates[i]</c>,
/// <c>capacities</c>, <c>capacities[i]</c>, <c>delta</c>, <c>delta[i]</c>, <c>delta[i][j]</c>,
/// <c>initial</c>, <c>initial[i]</c>, <c>horizon</c>, <c>points</c>. The member count n is the
/// length of <c>growthRates</c>; every other per-member list must match it.
/// </remarks>
public sealed record SymbiosisInput
{
    /// <summary>Creates a validated input.</summary>
    /// <param name="growthRates">k_i: intrinsic growth rates per unit time, finite, &gt; 0; between
    /// <see cref="ModelLimits.MinParties"/> and <see cref="ModelLimits.MaxParties"/> members.</param>
    /// <param name="capacities">N_i: each member's capacity (its size when alone), finite, &gt; 0; one per member.</param>
    /// <param name="delta">δ_ij: the effect of member j on member i's growth, an n×n matrix of finite
    /// numbers (row i is member i). The diagonal must be 0: a member's effect on itself is the
    /// −Q_i/N_i term, and a non-zero δ_ii would silently change its capacity.</param>
    /// <param name="initial">Q_i(0): initial sizes, finite, &gt; 0; one per member (Q_i = 0 stays 0 forever).</param>
    /// <param name="horizon">T: the end of the integration interval, in the time unit of the growth rates, finite, &gt; 0.</param>
    /// <param name="points">How many evenly spaced output times in [0, T] (both ends included), in [2, <see cref="ModelLimits.MaxTrajectoryPoints"/>].</param>
    /// <exception cref="ModelValidationException">A rule above is broken; the error names the field (with indices).</exception>
    public SymbiosisInput(
        IReadOnlyList<double> growthRates,
        IReadOnlyList<double> capacities,
        IReadOnlyList<IReadOnlyList<double>> delta,
        IReadOnlyList<double> initial,
        double horizon,
        int points)
    {
        var k = Guard.Count(growthRates, "growthRates", ModelLimits.MinParties, ModelLimits.MaxParties);
        var n = k.Length;
        // Read-only wrappers over private copies: the caller's lists can change later, these cannot.
        GrowthRates = Array.AsReadOnly(Guard.AllPositive(k, "growthRates"));
        Capacities = Array.AsReadOnly(Guard.AllPositive(Guard.Length(capacities, "capacities", n, "member"), "capacities"));
        var rows = Guard.Length(delta, "delta", n, "member");
        var matrix = new double[n][];
        for (var i = 0; i < n; i++)
        {
            matrix[i] = Guard.AllFinite(Guard.Length(rows[i], $"delta[{i}]", n, "member"), $"delta[{i}]");
            if (matrix[i][i] != 0)
            {
                throw new ModelValidationException($"delta[{i}][{i}]", "must be 0: a member's effect on itself is the −Q_i/N_i term");
            }
        }

        Delta = Array.AsReadOnly(Array.ConvertAll(matrix, row => (IReadOnlyList<double>)Array.AsReadOnly(row)));
        Initial = Array.AsReadOnly(Guard.AllPositive(Guard.Length(initial, "initial", n, "member"), "initial"));
        Horizon = Guard.Positive(horizon, "horizon");
        Guard.InRange(points, "points", 2, ModelLimits.MaxTrajectoryPoints);
        Points = points;
    }

    /// <summary>n: the number of members.</summary>
    public int MemberCount => GrowthRates.Count;

    /// <summary>k_i: growth rates, &gt; 0.</summary>
    public IReadOnlyList<double> GrowthRates { get; }

    /// <summary>N_i: capacities, &gt; 0.</summary>
    public IReadOnlyList<double> Capacities { get; }

    /// <summary>δ_ij: the effect of member j on member i; n×n, zero diagonal.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Delta { get; }

    /// <summary>Q_i(0): initial sizes, &gt; 0.</summary>
    public IReadOnlyList<double> Initial { get; }

    /// <summary>T: the integration horizon, &gt; 0.</summary>
    public double Horizon { get; }

    /// <summary>The number of evenly spaced output times in [0, T].</summary>
    public int Points { get; }
}
