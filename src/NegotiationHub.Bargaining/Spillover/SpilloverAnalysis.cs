using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Spillover;

/// <summary>
/// Cooperation-mode analysis with R&amp;D spillovers (MODEL §8, seed 002): the symmetric R&amp;D
/// level, output, price, cost, profit, consumer surplus and welfare under no cooperation, R&amp;D
/// cooperation and full cooperation, with the β thresholds at which cooperation raises R&amp;D.
/// </summary>
/// <remarks>
/// <para>Derivation (MODEL §8). Cournot with unit costs c_i gives
/// q_i = (a − n c_i + Σ_{j≠i} c_j)/(b(n+1)), which with c_i = A − x_i − β Σ_{j≠i} x_j is
/// q_i = [(a−A) + θ x_i + (2β−1) Σ_{j≠i} x_j]/(b(n+1)); the Cournot profit is b q_i².
/// At symmetric R&amp;D x, θ + (2β−1)(n−1) = φ, so q = (a−A+φx)/(b(n+1)) = (a−c)/(b(n+1)) with
/// c = A − φx. Write D = bγ(n+1)².</para>
/// <para>Regime 1 (Nash in R&amp;D). π_i(x_i) = b q_i² − γx_i²/2 with ∂q_i/∂x_i = θ/(b(n+1)).
/// FOC: 2θ q_i/(n+1) = γ x_i; at symmetry x* = 2θ(a−A)/(D − 2θφ).
/// SOC: ∂²π_i/∂x_i² = 2θ²/(b(n+1)²) − γ &lt; 0 ⇔ D &gt; 2θ² (π_i is quadratic in x_i, so this is
/// global concavity in a firm's own R&amp;D while all outputs stay positive).
/// For β ≤ 1/2, θ ≥ φ, so the SOC implies a positive denominator; for β &gt; 1/2 the
/// denominator condition is the stronger one.</para>
/// <para>Regime 2 (joint R&amp;D, Cournot output). Π(x) = Σ_i b q_i(x)² − γ|x|²/2 with
/// q = q₀1 + Mx/(b(n+1)), M = (n+1)(1−β) I + (2β−1) 11ᵀ. Symmetric FOC:
/// 2φ q/(n+1) = γx ⇒ x̃ = 2φ(a−A)/(D − 2φ²). Hessian: 2MᵀM/(b(n+1)²) − γI, whose eigenvalues are
/// 2φ²/(b(n+1)²) − γ (along 1) and 2(1−β)²/b − γ (the n−1 uneven directions). SOC along the
/// symmetric plan: D &gt; 2φ² (the denominator condition). The uneven directions are concave iff
/// bγ &gt; 2(1−β)²; otherwise the symmetric plan is a saddle and splitting R&amp;D unevenly pays
/// (reported as <see cref="SpilloverRegimeResult.UnevenRndMoreProfitable"/>, not as a flag, since
/// MODEL §8 studies the symmetric plan).</para>
/// <para>Regime 3 (cartel, symmetric R&amp;D). All costs are c = A − φx; the cartel sells the
/// monopoly output Q = (a−c)/(2b) and earns (a−c)²/(4b) − nγx²/2. FOC: φ(a−c)/(2b) = nγx ⇒
/// x̂ = φ(a−A)/(2nbγ − φ²). SOC: φ²/(2b) − nγ &lt; 0 ⇔ 2nbγ &gt; φ² (the denominator condition).
/// Without the symmetry assumption the cartel would concentrate output in its cheapest plant:
/// raising one member's x by ε lowers the minimum cost by ε and gains Q − γx = Q(n−1)(1−β)/n &gt; 0
/// at x̂ for β &lt; 1.</para>
/// <para>In every regime with a positive denominator x &gt; 0 (a &gt; A, θ, φ ≥ 1), hence
/// q &gt; 0 and p &gt; c; the cost and price flags then only catch c = A − φx &lt; 0.
/// Profit per firm is positive exactly when the SOC holds (e.g. regime 1:
/// π = q²(D − 2θ²)/(γ(n+1)²)).</para>
/// <para>Thresholds (both denominators positive): x̃ &gt; x* ⇔ φ &gt; θ ⇔ β &gt; 1/2;
/// x̂ &gt; x* ⇔ φ(n+1)² &gt; 4nθ ⇔ β &gt; (3n+1)/(n²+6n+1); x̂ &gt; x̃ ⇔ (n+1)² &gt; 4n, always for n ≥ 2.</para>
/// </remarks>
public static class SpilloverAnalysis
{
    /// <summary>β₁ = 1/2: R&amp;D cooperation raises R&amp;D above no cooperation iff β &gt; β₁ (MODEL §8).</summary>
    public const double RndCooperationThreshold = 0.5;

    /// <summary>Most grid points in <see cref="Sweep"/> (β = 0, 0.001, …, 1).</summary>
    public const int MaxSweepPoints = 1001;

    /// <summary>β₂ = (3n+1)/(n²+6n+1): full cooperation raises R&amp;D above no cooperation iff β &gt; β₂ (MODEL §8).</summary>
    /// <param name="firmCount">n, in [2, <see cref="ModelLimits.MaxFirms"/>].</param>
    /// <exception cref="ModelValidationException"><paramref name="firmCount"/> is out of range; the field is <c>firmCount</c>.</exception>
    public static double FullCooperationThreshold(int firmCount)
    {
        Guard.InRange(firmCount, "firmCount", 2, ModelLimits.MaxFirms);
        double n = firmCount;
        return ((3 * n) + 1) / ((n * n) + (6 * n) + 1);
    }

    /// <summary>Analyses the market under the three regimes. Never throws for economically invalid regions: they are flagged.</summary>
    /// <param name="input">A validated market.</param>
    /// <returns>The three regimes' outcomes and flags, and the β thresholds.</returns>
    public static SpilloverResult Analyze(SpilloverInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new SpilloverResult(
            input.Theta,
            input.Phi,
            NoCooperation(input),
            RndCooperation(input),
            FullCooperation(input),
            RndCooperationThreshold,
            FullCooperationThreshold(input.FirmCount));
    }

    /// <summary>
    /// The three R&amp;D levels over an evenly spaced β grid from 0 to 1 (inclusive), for charts.
    /// Every parameter but β comes from <paramref name="input"/>; its own β is not used.
    /// </summary>
    /// <param name="input">The market whose β is varied.</param>
    /// <param name="betaPoints">Number of grid points, in [2, <see cref="MaxSweepPoints"/>].</param>
    /// <returns><paramref name="betaPoints"/> points, β ascending; a level is null where its regime is flagged.</returns>
    /// <exception cref="ModelValidationException"><paramref name="betaPoints"/> is out of range; the field is <c>betaPoints</c>.</exception>
    public static IReadOnlyList<SpilloverSweepPoint> Sweep(SpilloverInput input, int betaPoints)
    {
        ArgumentNullException.ThrowIfNull(input);
        Guard.InRange(betaPoints, "betaPoints", 2, MaxSweepPoints);
        var points = new SpilloverSweepPoint[betaPoints];
        for (var k = 0; k < betaPoints; k++)
        {
            // The last point is exactly 1 (k/(k) in floating point), so β = 1 is always on the grid.
            var market = input.WithBeta((double)k / (betaPoints - 1));
            points[k] = new SpilloverSweepPoint(
                market.Beta,
                ValidLevel(NoCooperation(market)),
                ValidLevel(RndCooperation(market)),
                ValidLevel(FullCooperation(market)));
        }

        return points;
    }

    private static double? ValidLevel(SpilloverRegimeResult result) => result.IsValid ? result.Outcome!.RndLevel : null;

    // D = bγ(n+1)², the scale every Cournot-stage R&D formula is measured against.
    private static double D(SpilloverInput m) =>
        m.DemandSlope * m.Gamma * (m.FirmCount + 1.0) * (m.FirmCount + 1.0);

    // Regime 1: x* = 2θ(a−A)/(D − 2θφ); SOC D > 2θ².
    private static SpilloverRegimeResult NoCooperation(SpilloverInput m)
    {
        var d = D(m);
        var denominator = d - (2 * m.Theta * m.Phi);
        var socHolds = d > 2 * m.Theta * m.Theta;
        return Regime(m, CooperationRegime.NoCooperation, 2 * m.Theta * (m.DemandIntercept - m.BaseUnitCost), denominator, socHolds, unevenRndMoreProfitable: false);
    }

    // Regime 2: x̃ = 2φ(a−A)/(D − 2φ²); SOC along the symmetric plan is the denominator condition.
    private static SpilloverRegimeResult RndCooperation(SpilloverInput m)
    {
        var d = D(m);
        var denominator = d - (2 * m.Phi * m.Phi);
        var oneMinusBeta = 1 - m.Beta;
        var uneven = m.DemandSlope * m.Gamma <= 2 * oneMinusBeta * oneMinusBeta;
        return Regime(m, CooperationRegime.RndCooperation, 2 * m.Phi * (m.DemandIntercept - m.BaseUnitCost), denominator, denominator > 0, uneven);
    }

    // Regime 3: x̂ = φ(a−A)/(2nbγ − φ²); SOC is the denominator condition.
    private static SpilloverRegimeResult FullCooperation(SpilloverInput m)
    {
        var denominator = (2.0 * m.FirmCount * m.DemandSlope * m.Gamma) - (m.Phi * m.Phi);
        return Regime(m, CooperationRegime.FullCooperation, m.Phi * (m.DemandIntercept - m.BaseUnitCost), denominator, denominator > 0, m.Beta < 1);
    }

    private static SpilloverRegimeResult Regime(
        SpilloverInput m, CooperationRegime regime, double numerator, double denominator, bool socHolds, bool unevenRndMoreProfitable)
    {
        var flags = new List<SpilloverFlag>();
        if (denominator <= 0)
        {
            flags.Add(SpilloverFlag.NonPositiveDenominator);
        }

        if (!socHolds)
        {
            flags.Add(SpilloverFlag.SecondOrderConditionFails);
        }

        var outcome = denominator == 0 ? null : Outcome(m, regime, numerator / denominator);
        if (outcome is null)
        {
            if (denominator != 0)
            {
                flags.Add(SpilloverFlag.NotRepresentable);
            }
        }
        else
        {
            if (outcome.UnitCost < 0)
            {
                flags.Add(SpilloverFlag.NegativeUnitCost);
            }

            if (outcome.OutputPerFirm <= 0)
            {
                flags.Add(SpilloverFlag.NonPositiveOutput);
            }

            if (outcome.Price < outcome.UnitCost)
            {
                flags.Add(SpilloverFlag.PriceBelowCost);
            }
        }

        return new SpilloverRegimeResult(regime, outcome, flags.AsReadOnly(), unevenRndMoreProfitable);
    }

    // The symmetric outcome for R&D level x; null if any figure overflows (never NaN or ±∞ on the wire).
    private static SpilloverOutcome? Outcome(SpilloverInput m, CooperationRegime regime, double x)
    {
        var (a, b, n) = (m.DemandIntercept, m.DemandSlope, (double)m.FirmCount);
        var c = m.BaseUnitCost - (m.Phi * x);
        var totalOutput = regime == CooperationRegime.FullCooperation
            ? (a - c) / (2 * b)          // cartel: monopoly output
            : n * (a - c) / (b * (n + 1)); // Cournot: q = (a − c)/(b(n+1)) per firm
        var q = totalOutput / n;
        var price = a - (b * totalOutput);
        var profit = ((price - c) * q) - (m.Gamma * x * x / 2);
        var consumerSurplus = b * totalOutput * totalOutput / 2;
        var welfare = consumerSurplus + (n * profit);
        double[] all = [x, q, totalOutput, price, c, profit, consumerSurplus, welfare];
        return all.All(double.IsFinite)
            ? new SpilloverOutcome(x, q, totalOutput, price, c, profit, consumerSurplus, welfare)
            : null;
    }
}
