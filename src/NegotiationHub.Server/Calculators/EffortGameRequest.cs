
namespace NegotiationHub.Server.Calculators;

/// <summary>MODEL §7(a) input: the two-stage effort game, and optionally shares to evaluate.</summary>
public sealed record EffortGameRequest
{
    /// <summary>d_i &gt; 0, one per party (2..16).</summary>
    public IReadOnlyList<double>? Contributions { get; init; }

    /// <summary>b_i &gt; 0 with w_i = d_i²/b_i &lt; 1.</summary>
    public IReadOnlyList<double>? CostCoefficients { get; init; }

    /// <summary>C0_i ≥ 0; omitted means all 0.</summary>
    public IReadOnlyList<double>? FixedCosts { get; init; }

    /// <summary>P0 ≥ 0; omitted means 0.</summary>
    public double? BaseOutput { get; init; }

    /// <summary>Optional shares t (≥ 0, summing to 1) at which to evaluate stage 2 besides the optimum.</summary>
    public IReadOnlyList<double>? Shares { get; init; }
}
