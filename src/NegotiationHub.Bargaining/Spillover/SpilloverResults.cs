namespace NegotiationHub.Bargaining.Spillover;

/// <summary>The three cooperation modes of MODEL §8.</summary>
public enum CooperationRegime
{
    /// <summary>Firms compete in R&amp;D and in output (Nash in R&amp;D, then Cournot): x*.</summary>
    NoCooperation,

    /// <summary>Firms choose R&amp;D jointly to maximise joint profit, then compete à la Cournot: x̃.</summary>
    RndCooperation,

    /// <summary>A cartel in R&amp;D and output (symmetric R&amp;D, monopoly output): x̂.</summary>
    FullCooperation,
}

/// <summary>
/// Why a regime's closed form does not describe a valid equilibrium (or optimum) for the given
/// market. The analysis is a what-if tool, so these are reported rather than thrown.
/// </summary>
public enum SpilloverFlag
{
    /// <summary>The denominator of the regime's R&amp;D formula is ≤ 0: no finite positive R&amp;D level solves the first-order condition.</summary>
    NonPositiveDenominator,

    /// <summary>The second-order condition fails: the first-order condition gives a minimum or saddle, not a maximum.</summary>
    SecondOrderConditionFails,

    /// <summary>The unit cost after R&amp;D, <c>c = A − φx</c>, is negative.</summary>
    NegativeUnitCost,

    /// <summary>Output per firm is ≤ 0.</summary>
    NonPositiveOutput,

    /// <summary>The price is below the unit cost.</summary>
    PriceBelowCost,

    /// <summary>Some quantity overflows a double (inputs of extreme magnitude); no outcome is reported.</summary>
    NotRepresentable,
}

/// <summary>The symmetric outcome of one regime. All amounts are per period, in the units of the inputs.</summary>
/// <param name="RndLevel">x: each firm's R&amp;D level (the reduction of its own unit cost).</param>
/// <param name="OutputPerFirm">q: each firm's output.</param>
/// <param name="TotalOutput">Q = nq: industry output.</param>
/// <param name="Price">p = a − bQ.</param>
/// <param name="UnitCost">c = A − φx: each firm's unit cost after own and spilled-over R&amp;D.</param>
/// <param name="ProfitPerFirm">(p − c)q − γx²/2.</param>
/// <param name="ConsumerSurplus">bQ²/2.</param>
/// <param name="Welfare">Consumer surplus + n · profit per firm.</param>
public sealed record SpilloverOutcome(
    double RndLevel,
    double OutputPerFirm,
    double TotalOutput,
    double Price,
    double UnitCost,
    double ProfitPerFirm,
    double ConsumerSurplus,
    double Welfare);

/// <summary>One regime's result: the outcome (when representable) and the reasons it may be invalid.</summary>
/// <param name="Regime">Which cooperation mode.</param>
/// <param name="Outcome">The closed-form outcome, or null when it cannot be computed (zero denominator or overflow; see <paramref name="Flags"/>).</param>
/// <param name="Flags">Why the outcome is not a valid equilibrium/optimum; empty when it is.</param>
/// <param name="UnevenRndMoreProfitable">
/// True when the members' joint profit would rise if R&amp;D were split unevenly, so the symmetric
/// plan of MODEL §8 is the best symmetric plan but not the joint optimum. Always false for
/// <see cref="CooperationRegime.NoCooperation"/> (each firm chooses its own R&amp;D). For
/// <see cref="CooperationRegime.RndCooperation"/> true iff bγ ≤ 2(1−β)² (Salant &amp; Shaffer 1998).
/// For <see cref="CooperationRegime.FullCooperation"/> true iff β &lt; 1: a cartel would produce
/// everything in its cheapest plant; MODEL §8 assumes symmetric R&amp;D, so this is information, not a flag.
/// </param>
public sealed record SpilloverRegimeResult(
    CooperationRegime Regime,
    SpilloverOutcome? Outcome,
    IReadOnlyList<SpilloverFlag> Flags,
    bool UnevenRndMoreProfitable)
{
    /// <summary>True when no flag is raised: the outcome is a valid equilibrium (or optimum) of the regime.</summary>
    public bool IsValid => Flags.Count == 0;
}

/// <summary>The analysis of one market under the three regimes of MODEL §8.</summary>
/// <param name="Theta">θ = n − (n−1)β.</param>
/// <param name="Phi">φ = 1 + (n−1)β.</param>
/// <param name="NoCooperation">Regime 1: x*.</param>
/// <param name="RndCooperation">Regime 2: x̃.</param>
/// <param name="FullCooperation">Regime 3: x̂.</param>
/// <param name="RndCooperationThreshold">β₁ = 1/2: x̃ &gt; x* iff β &gt; β₁ (when both regimes are valid).</param>
/// <param name="FullCooperationThreshold">β₂ = (3n+1)/(n²+6n+1): x̂ &gt; x* iff β &gt; β₂ (when both regimes are valid).</param>
public sealed record SpilloverResult(
    double Theta,
    double Phi,
    SpilloverRegimeResult NoCooperation,
    SpilloverRegimeResult RndCooperation,
    SpilloverRegimeResult FullCooperation,
    double RndCooperationThreshold,
    double FullCooperationThreshold);

/// <summary>The three R&amp;D levels at one spillover rate; a level is null where its regime is flagged invalid (a gap in a chart).</summary>
/// <param name="Beta">β at this grid point.</param>
/// <param name="NoCooperation">x*, or null when regime 1 is invalid at this β.</param>
/// <param name="RndCooperation">x̃, or null when regime 2 is invalid at this β.</param>
/// <param name="FullCooperation">x̂, or null when regime 3 is invalid at this β.</param>
public sealed record SpilloverSweepPoint(double Beta, double? NoCooperation, double? RndCooperation, double? FullCooperation);
