using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Spillover;

/// <summary>
/// The market of MODEL §8 (d'Aspremont–Jacquemin with n firms): inverse demand
/// <c>p = a − bQ</c>, unit cost <c>c_i = A − x_i − β Σ_{j≠i} x_j</c>, R&amp;D cost <c>γ x_i²/2</c>.
/// Validated on construction; an instance always satisfies every rule below.
/// </summary>
/// <remarks>
/// Error field names are the camelCase JSON names: <c>demandIntercept</c> (a),
/// <c>demandSlope</c> (b), <c>baseUnitCost</c> (A), <c>beta</c> (β), <c>gamma</c> (γ),
/// <c>firmCount</c> (n).
/// </remarks>
public sealed record SpilloverInput
{
    /// <summary>Creates a validated input.</summary>
    /// <param name="demandIntercept">a: the demand intercept (choke price), finite, &gt; 0.</param>
    /// <param name="demandSlope">b: the slope of inverse demand, finite, &gt; 0.</param>
    /// <param name="baseUnitCost">A: unit cost before any R&amp;D, finite, in (0, a).</param>
    /// <param name="beta">β: the spillover rate, the share of a rival's R&amp;D that lowers a firm's cost, in [0, 1].</param>
    /// <param name="gamma">γ: the R&amp;D cost coefficient (cost γx²/2), finite, &gt; 0.</param>
    /// <param name="firmCount">n: the number of firms, in [2, <see cref="ModelLimits.MaxFirms"/>].</param>
    /// <exception cref="ModelValidationException">A rule above is broken; the error names the field.</exception>
    public SpilloverInput(double demandIntercept, double demandSlope, double baseUnitCost, double beta, double gamma, int firmCount)
    {
        DemandIntercept = Guard.Positive(demandIntercept, "demandIntercept");
        DemandSlope = Guard.Positive(demandSlope, "demandSlope");
        BaseUnitCost = Guard.InRange(baseUnitCost, "baseUnitCost", 0, demandIntercept, minOpen: true, maxOpen: true);
        Beta = Guard.InRange(beta, "beta", 0, 1);
        Gamma = Guard.Positive(gamma, "gamma");
        Guard.InRange(firmCount, "firmCount", 2, ModelLimits.MaxFirms);
        FirmCount = firmCount;
    }

    /// <summary>a: the demand intercept, &gt; 0.</summary>
    public double DemandIntercept { get; }

    /// <summary>b: the slope of inverse demand, &gt; 0.</summary>
    public double DemandSlope { get; }

    /// <summary>A: unit cost before R&amp;D, in (0, a).</summary>
    public double BaseUnitCost { get; }

    /// <summary>β: the spillover rate, in [0, 1].</summary>
    public double Beta { get; }

    /// <summary>γ: the R&amp;D cost coefficient, &gt; 0.</summary>
    public double Gamma { get; }

    /// <summary>n: the number of firms, in [2, <see cref="ModelLimits.MaxFirms"/>].</summary>
    public int FirmCount { get; }

    /// <summary>θ = n − (n−1)β: how strongly a firm's own R&amp;D raises its own Cournot output (MODEL §8).</summary>
    public double Theta => FirmCount - ((FirmCount - 1) * Beta);

    /// <summary>φ = 1 + (n−1)β: how much one unit of symmetric R&amp;D lowers every firm's unit cost (MODEL §8).</summary>
    public double Phi => 1 + ((FirmCount - 1) * Beta);

    /// <summary>The same market with another spillover rate (validated like the constructor).</summary>
    /// <exception cref="ModelValidationException"><paramref name="beta"/> is not in [0, 1]; the field is <c>beta</c>.</exception>
    public SpilloverInput WithBeta(double beta) =>
        new(DemandIntercept, DemandSlope, BaseUnitCost, beta, Gamma, FirmCount);
}
