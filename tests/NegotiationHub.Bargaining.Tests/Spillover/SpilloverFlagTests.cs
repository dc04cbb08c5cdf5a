using NegotiationHub.Bargaining.Spillover;

namespace NegotiationHub.Bargaining.Tests.Spillover;

/// <summary>Economically invalid regions are reported as flags, never thrown and never NaN.</summary>
public class SpilloverFlagTests
{
    [Fact]
    public void A_valid_market_raises_no_flags()
    {
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 60, 0.3, 5, 2));

        Assert.Empty(result.NoCooperation.Flags);
        Assert.Empty(result.RndCooperation.Flags);
        Assert.Empty(result.FullCooperation.Flags);
    }

    [Fact]
    public void Cheap_RnD_gives_a_negative_denominator_and_a_failing_second_order_condition()
    {
        // n = 2, β = 0: D = 9bγ = 0.9 < 2θφ = 4, and 2θ² = 8 > D.
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 60, 0, 0.1, 2)).NoCooperation;

        Assert.Contains(SpilloverFlag.NonPositiveDenominator, result.Flags);
        Assert.Contains(SpilloverFlag.SecondOrderConditionFails, result.Flags);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Second_order_condition_can_fail_while_the_denominator_is_positive()
    {
        // n = 2, β = 0, bγ = 0.8: D = 7.2 lies between 2θφ = 4 and 2θ² = 8.
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 90, 0, 0.8, 2)).NoCooperation;

        Assert.Equal([SpilloverFlag.SecondOrderConditionFails], result.Flags);
        Assert.True(result.Outcome!.ProfitPerFirm < 0, "a failing SOC means the FOC point earns less than no R&D");
    }

    [Fact]
    public void A_zero_denominator_reports_no_outcome()
    {
        // Regime 3, n = 2, β = 0: 2nbγ − φ² = 4·0.25 − 1 = 0 exactly.
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 60, 0, 0.25, 2)).FullCooperation;

        Assert.Null(result.Outcome);
        Assert.Equal([SpilloverFlag.NonPositiveDenominator, SpilloverFlag.SecondOrderConditionFails], result.Flags);
    }

    [Fact]
    public void Large_RnD_relative_to_base_cost_flags_a_negative_unit_cost()
    {
        // n = 2, β = 1: x* = 2·99/5 = 39.6, c = 1 − 2·39.6 < 0.
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 1, 1, 1, 2)).NoCooperation;

        Assert.Equal([SpilloverFlag.NegativeUnitCost], result.Flags);
        Assert.Equal(1 - (2 * 39.6), result.Outcome!.UnitCost, 1e-12);
    }

    [Fact]
    public void A_negative_RnD_level_flags_non_positive_output_and_price_below_cost()
    {
        // n = 2, β = 0, bγ = 0.1: x* = 160/(0.9 − 4) < 0 and a − c = 40 + x* < 0.
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 60, 0, 0.1, 2)).NoCooperation;

        Assert.True(result.Outcome!.RndLevel < 0);
        Assert.Contains(SpilloverFlag.NonPositiveOutput, result.Flags);
        Assert.Contains(SpilloverFlag.PriceBelowCost, result.Flags);
    }

    [Fact]
    public void Figures_that_overflow_are_flagged_instead_of_returned_as_infinity()
    {
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(1e300, 1, 1, 0.5, 1, 2)).NoCooperation;

        Assert.Null(result.Outcome);
        Assert.Equal([SpilloverFlag.NotRepresentable], result.Flags);
    }
}
