using NegotiationHub.Bargaining.Spillover;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Calculators;

/// <summary>
/// MODEL §8 input: the market (inverse demand p = a − bQ, unit cost c_i = A − x_i − β Σ_{j≠i} x_j,
/// R&amp;D cost γx²/2, n firms) and, optionally, how many β grid points to sweep for a chart.
/// </summary>
public sealed record SpilloverRequest
{
    /// <summary>a: the demand intercept, &gt; 0.</summary>
    public double? DemandIntercept { get; init; }

    /// <summary>b: the slope of inverse demand, &gt; 0.</summary>
    public double? DemandSlope { get; init; }

    /// <summary>A: unit cost before R&amp;D, in (0, a).</summary>
    public double? BaseUnitCost { get; init; }

    /// <summary>β: the spillover rate, in [0, 1].</summary>
    public double? Beta { get; init; }

    /// <summary>γ: the R&amp;D cost coefficient, &gt; 0.</summary>
    public double? Gamma { get; init; }

    /// <summary>n: the number of firms, in [2, 1000].</summary>
    public int? FirmCount { get; init; }

    /// <summary>When given (2..1001), the response also has the three R&amp;D levels over β = 0..1 at this many points.</summary>
    public int? BetaPoints { get; init; }

    /// <summary>Builds the validated market; missing fields are reported as required.</summary>
    public SpilloverInput ToInput() => new(
        RequestRules.Required(DemandIntercept, "demandIntercept"),
        RequestRules.Required(DemandSlope, "demandSlope"),
        RequestRules.Required(BaseUnitCost, "baseUnitCost"),
        RequestRules.Required(Beta, "beta"),
        RequestRules.Required(Gamma, "gamma"),
        RequestRules.Required(FirmCount, "firmCount"));
}
