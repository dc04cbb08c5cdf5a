using NegotiationHub.Bargaining.Spillover;

namespace NegotiationHub.Server.Calculators;

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
