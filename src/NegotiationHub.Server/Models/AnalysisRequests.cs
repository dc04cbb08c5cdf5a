using NegotiationHub.Bargaining.Spillover;
using NegotiationHub.Bargaining.Symbiosis;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Models;

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

/// <summary>MODEL §8 output: one entry per cooperation regime, the β thresholds and, when asked, the β sweep.</summary>
/// <param name="Theta">θ = n − (n−1)β.</param>
/// <param name="Phi">φ = 1 + (n−1)β.</param>
/// <param name="RndCooperationThreshold">β₁ = 1/2: R&amp;D cooperation raises R&amp;D above no cooperation iff β &gt; β₁.</param>
/// <param name="FullCooperationThreshold">β₂ = (3n+1)/(n²+6n+1): full cooperation raises R&amp;D above no cooperation iff β &gt; β₂.</param>
/// <param name="Regimes">noCooperation (x*), rndCooperation (x̃), fullCooperation (x̂), in that order.</param>
/// <param name="Sweep">The R&amp;D levels over β, or null when <c>betaPoints</c> was not given.</param>
public sealed record SpilloverResponse(
    double Theta,
    double Phi,
    double RndCooperationThreshold,
    double FullCooperationThreshold,
    IReadOnlyList<SpilloverRegimeView> Regimes,
    SpilloverSweepView? Sweep);

/// <summary>
/// One regime, flattened for charts. The figures are null only when they cannot be computed
/// (a zero denominator, or overflow: flag <c>notRepresentable</c>); they are present but
/// economically meaningless when <see cref="Valid"/> is false for another reason.
/// </summary>
/// <param name="Regime">noCooperation, rndCooperation or fullCooperation.</param>
/// <param name="Valid">True when no flag is raised: the figures are an equilibrium (or optimum) of the regime.</param>
/// <param name="Flags">Why not: nonPositiveDenominator, secondOrderConditionFails, negativeUnitCost, nonPositiveOutput, priceBelowCost, notRepresentable.</param>
/// <param name="UnevenRndMoreProfitable">True when splitting R&amp;D unevenly would raise the members' joint profit (information, not a flag).</param>
/// <param name="RndLevel">x per firm.</param>
/// <param name="OutputPerFirm">q.</param>
/// <param name="TotalOutput">Q = nq.</param>
/// <param name="Price">p = a − bQ.</param>
/// <param name="UnitCost">c = A − φx.</param>
/// <param name="ProfitPerFirm">(p − c)q − γx²/2.</param>
/// <param name="ConsumerSurplus">bQ²/2.</param>
/// <param name="Welfare">Consumer surplus + n · profit per firm.</param>
public sealed record SpilloverRegimeView(
    CooperationRegime Regime,
    bool Valid,
    IReadOnlyList<SpilloverFlag> Flags,
    bool UnevenRndMoreProfitable,
    double? RndLevel,
    double? OutputPerFirm,
    double? TotalOutput,
    double? Price,
    double? UnitCost,
    double? ProfitPerFirm,
    double? ConsumerSurplus,
    double? Welfare)
{
    /// <summary>Flattens a library result.</summary>
    public static SpilloverRegimeView From(SpilloverRegimeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var o = result.Outcome;
        return new(
            result.Regime, result.IsValid, result.Flags, result.UnevenRndMoreProfitable,
            o?.RndLevel, o?.OutputPerFirm, o?.TotalOutput, o?.Price, o?.UnitCost, o?.ProfitPerFirm, o?.ConsumerSurplus, o?.Welfare);
    }
}

/// <summary>The three R&amp;D levels over an even β grid from 0 to 1, as parallel series; null is a gap where the regime is invalid.</summary>
/// <param name="Beta">The β grid, ascending, 0 and 1 included.</param>
/// <param name="NoCooperation">x* at each β.</param>
/// <param name="RndCooperation">x̃ at each β.</param>
/// <param name="FullCooperation">x̂ at each β.</param>
public sealed record SpilloverSweepView(
    IReadOnlyList<double> Beta,
    IReadOnlyList<double?> NoCooperation,
    IReadOnlyList<double?> RndCooperation,
    IReadOnlyList<double?> FullCooperation);

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

/// <summary>MODEL §9 output.</summary>
/// <param name="Equilibrium">The interior equilibrium and its stability.</param>
/// <param name="Relations">One entry per pair i &lt; j (0-based), row-major.</param>
/// <param name="Trajectory">Q(t) for plotting.</param>
public sealed record SymbiosisResponse(
    SymbiosisEquilibriumView Equilibrium,
    IReadOnlyList<MemberRelation> Relations,
    SymbiosisTrajectoryView Trajectory);

/// <summary>The interior equilibrium Q* (y = Q*/N solves (I − Δ)y = 1) and its local stability.</summary>
/// <param name="Status">positive, notPositive (some Q_i* ≤ 0), singular (I − Δ singular) or notRepresentable (overflow); the lists are null for the last two.</param>
/// <param name="Relative">y_i = Q_i*/N_i.</param>
/// <param name="Sizes">Q_i*.</param>
/// <param name="Jacobian">J at Q*, row i = member i.</param>
/// <param name="Eigenvalues">The eigenvalues of J, real parts descending.</param>
/// <param name="Stable">True iff the status is positive and every eigenvalue has a negative real part.</param>
public sealed record SymbiosisEquilibriumView(
    EquilibriumStatus Status,
    IReadOnlyList<double>? Relative,
    IReadOnlyList<double>? Sizes,
    IReadOnlyList<IReadOnlyList<double>>? Jacobian,
    IReadOnlyList<EigenvalueView>? Eigenvalues,
    bool Stable)
{
    /// <summary>No equilibrium can be computed in doubles (inputs of extreme magnitude).</summary>
    public static SymbiosisEquilibriumView NotRepresentable { get; } = new(EquilibriumStatus.NotRepresentable, null, null, null, null, Stable: false);

    /// <summary>Maps a library result; eigenvalues that are not finite (possible for extreme inputs) make it notRepresentable.</summary>
    public static SymbiosisEquilibriumView From(SymbiosisEquilibrium equilibrium)
    {
        ArgumentNullException.ThrowIfNull(equilibrium);
        if (equilibrium.Eigenvalues?.All(e => double.IsFinite(e.Real) && double.IsFinite(e.Imaginary)) == false)
        {
            return NotRepresentable;
        }

        return new(
            equilibrium.Status,
            equilibrium.Relative,
            equilibrium.Sizes,
            equilibrium.Jacobian,
            equilibrium.Eigenvalues?.Select(e => new EigenvalueView(e.Real, e.Imaginary)).ToArray(),
            equilibrium.IsStable);
    }
}

/// <summary>A complex eigenvalue re + i·im.</summary>
/// <param name="Re">Real part: &lt; 0 means a perturbation decays.</param>
/// <param name="Im">Imaginary part: non-zero means oscillation.</param>
public sealed record EigenvalueView(double Re, double Im);

/// <summary>The integrated sizes, as one series per member over a shared time axis.</summary>
/// <param name="Status">completed, blewUp, nonFinite, stepLimitReached or stepSizeTooSmall; the series stop at the last time reached.</param>
/// <param name="Times">The output times reached, from 0.</param>
/// <param name="Values">Values[i][t] = Q_i at Times[t].</param>
/// <param name="StoppedAt">The time the integration reached (T when completed).</param>
/// <param name="Steps">Integration steps attempted.</param>
public sealed record SymbiosisTrajectoryView(
    TrajectoryStatus Status,
    IReadOnlyList<double> Times,
    IReadOnlyList<IReadOnlyList<double>> Values,
    double StoppedAt,
    int Steps)
{
    /// <summary>Transposes a library trajectory into per-member series.</summary>
    public static SymbiosisTrajectoryView From(SymbiosisTrajectory trajectory, int memberCount)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var points = trajectory.Points;
        var values = new IReadOnlyList<double>[memberCount];
        for (var i = 0; i < memberCount; i++)
        {
            var series = new double[points.Count];
            for (var t = 0; t < points.Count; t++)
            {
                series[t] = points[t].Sizes[i];
            }

            values[i] = series;
        }

        return new(trajectory.Status, points.Select(p => p.Time).ToArray(), values, trajectory.StoppedAt, trajectory.Steps);
    }
}

/// <summary>The calculators of MODEL §8–9.</summary>
public static class AnalysisCalculators
{
    /// <summary>MODEL §8: the three cooperation regimes, and the β sweep when <c>betaPoints</c> is given.</summary>
    public static SpilloverResponse Spillover(SpilloverRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.ToInput();
        var result = SpilloverAnalysis.Analyze(input);
        SpilloverSweepView? sweep = null;
        if (request.BetaPoints is { } betaPoints)
        {
            var points = SpilloverAnalysis.Sweep(input, betaPoints);
            sweep = new(
                points.Select(p => p.Beta).ToArray(),
                points.Select(p => p.NoCooperation).ToArray(),
                points.Select(p => p.RndCooperation).ToArray(),
                points.Select(p => p.FullCooperation).ToArray());
        }

        return new(
            result.Theta,
            result.Phi,
            result.RndCooperationThreshold,
            result.FullCooperationThreshold,
            [SpilloverRegimeView.From(result.NoCooperation), SpilloverRegimeView.From(result.RndCooperation), SpilloverRegimeView.From(result.FullCooperation)],
            sweep);
    }

    /// <summary>MODEL §9: equilibrium and stability, pairwise relations and the trajectory.</summary>
    public static SymbiosisResponse Symbiosis(SymbiosisRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.ToInput();
        return new(
            SymbiosisEquilibriumView.From(LogisticSymbiosis.FindEquilibrium(input)),
            LogisticSymbiosis.Classify(input),
            SymbiosisTrajectoryView.From(LogisticSymbiosis.Integrate(input), input.MemberCount));
    }
}
