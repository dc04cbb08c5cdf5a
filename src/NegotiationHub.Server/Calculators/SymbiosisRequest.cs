using NegotiationHub.Bargaining.Symbiosis;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Calculators;

/// <summary>
/// MODEL §9 input: <c>dQ_i/dt = k_i Q_i (1 − Q_i/N_i + Σ_{j≠i} δ_ij Q_j/N_j)</c> for 2..16 members,
/// integrated from Q(0) over [0, T] and reported at <c>points</c> evenly spaced times.
/// </summary>
public sealed record SymbiosisRequest
{
    /// <summary>k_i &gt; 0, one per member (2..16 members).</summary>
    public IReadOnlyList<double>? GrowthRates { get; init; }

    /// <summary>N_i &gt; 0, one per member.</summary>
    public IReadOnlyList<double>? Capacities { get; init; }

    /// <summary>δ_ij, the effect of member j on member i: n×n, zero diagonal.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Delta { get; init; }

    /// <summary>Q_i(0) &gt; 0, one per member.</summary>
    public IReadOnlyList<double>? Initial { get; init; }

    /// <summary>T &gt; 0, in the time unit of the growth rates.</summary>
    public double? Horizon { get; init; }

    /// <summary>Output times in [0, T], both ends included: 2..5000.</summary>
    public int? Points { get; init; }

    /// <summary>Builds the validated alliance; missing fields are reported as required.</summary>
    public SymbiosisInput ToInput() => new(
        GrowthRates ?? throw new ModelValidationException("growthRates", "is required"),
        Capacities ?? throw new ModelValidationException("capacities", "is required"),
        Delta ?? throw new ModelValidationException("delta", "is required"),
        Initial ?? throw new ModelValidationException("initial", "is required"),
        RequestRules.Required(Horizon, "horizon"),
        RequestRules.Required(Points, "points"));
}
