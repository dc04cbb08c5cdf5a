using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Rounds;

public class RoundAnalyzerTests
{
    private static readonly NashBargainingProblem ThreeLinear = new(100, [0.5, 0.3, 0.2]);

    [Fact]
    public void Incompatible_demands_name_the_party_with_the_largest_fear_to_power_ratio()
    {
        // Linear, d = 0: q = D. ρ = (60/0.5, 30/0.3, 30/0.2) = (120, 100, 150) ⇒ party 2 concedes; g = 120 − 100 = 20.
        var round = RoundAnalyzer.Analyze(ThreeLinear, [60, 30, 30]);

        Assert.False(round.Compatible);
        Assert.Equal(20, round.Gap, 12);
        Assert.Equal([2], round.MustConcede);
        Assert.Equal([120.0, 100, 150], round.Parties.Select(p => Math.Round(p.Ratio, 9)));
        Assert.Null(round.Agreement);
        // Target k* = hK = (50, 30, 20): distance = (10 + 0 + 10)/100.
        Assert.Equal(0.2, round.Distance, 12);
        // Spread = (150 − 100)/mean(120, 100, 150).
        Assert.Equal(50 / (370.0 / 3), round.RatioSpread, 12);
    }

    [Fact]
    public void Tied_ratios_all_must_concede()
    {
        var round = RoundAnalyzer.Analyze(ThreeLinear, [75, 45, 20]); // ρ = 150, 150, 100

        Assert.Equal([0, 1], round.MustConcede);
    }

    [Fact]
    public void Compatible_demands_agree_and_split_the_surplus_by_power()
    {
        // ΣD = 90 ⇒ g = −10; agreement = D + 10·h = (40 + 5, 30 + 3, 20 + 2).
        var round = RoundAnalyzer.Analyze(ThreeLinear, [40, 30, 20]);

        Assert.True(round.Compatible);
        Assert.Empty(round.MustConcede);
        Assert.Equal([45.0, 33, 22], round.Agreement!.Select(x => Math.Round(x, 9)));
    }

    [Fact]
    public void A_compatible_round_has_the_nash_efficiency_of_its_projection_onto_the_pool()
    {
        // Linear, d = 0, h = (0.5, 0.3, 0.2), D = (40, 30, 20): ΣD = 90 ⇒ k̃ = D·100/90.
        // NP(k̃)/NP(k*) = Π (k̃_i/k*_i)^{h_i} with k* = hK = (50, 30, 20).
        var round = RoundAnalyzer.Analyze(ThreeLinear, [40, 30, 20]);
        var expected = Math.Pow(400 / 9.0 / 50, 0.5) * Math.Pow(300 / 9.0 / 30, 0.3) * Math.Pow(200 / 9.0 / 20, 0.2);

        Assert.True(round.Compatible);
        Assert.Equal(expected, round.NashEfficiency, 12);
    }

    [Fact]
    public void A_party_demanding_only_its_disagreement_point_makes_the_nash_efficiency_zero_even_when_compatible()
    {
        // MODEL §4: k̃_1 = d_1 + (D_1 − d_1)·… = d_1 = 0, so NP(k̃) = Π (k̃_i − d_i)^{h_i} = 0. The bots'
        // report of "efficiency 0.0000 in a compatible round" was this case (a party at its floor).
        var round = RoundAnalyzer.Analyze(ThreeLinear, [60, 0, 30]);

        Assert.True(round.Compatible);
        Assert.Equal(0, round.NashEfficiency);
        Assert.Equal(0, round.Parties[1].Projected, 12);
    }

    [Fact]
    public void Projection_scales_the_excess_over_disagreement_onto_the_pool()
    {
        // K = 100, d = (10, 0, 10), D = (50, 40, 30): Σd = 20, ΣD − Σd = 100, K − Σd = 80 ⇒
        // k̃ = (10 + 40·0.8, 0 + 40·0.8, 10 + 20·0.8) = (42, 32, 26).
        var problem = new NashBargainingProblem(100, [0.5, 0.3, 0.2], disagreement: [10, 0, 10]);
        var round = RoundAnalyzer.Analyze(problem, [50, 40, 30]);

        Assert.Equal([42.0, 32, 26], round.Parties.Select(p => Math.Round(p.Projected, 9)));
    }

    [Fact]
    public void Repeated_auto_concession_converges_to_the_solution()
    {
        var problem = new NashBargainingProblem(100, [0.4, 0.3, 0.2, 0.1],
            [Utility.Linear, Utility.Create(UtilityKind.Power, 0.5), Utility.Create(UtilityKind.Log, 20), Utility.Create(UtilityKind.Exponential, 0.02)]);
        double[] demands = [90, 90, 90, 90];
        var efficiency = 0.0;
        for (var round = 0; round < 60; round++)
        {
            var analysis = RoundAnalyzer.Analyze(problem, demands);
            Assert.True(analysis.NashEfficiency >= efficiency - 1e-12, "efficiency never falls under uniform concession");
            efficiency = analysis.NashEfficiency;
            demands = analysis.Parties.Select(p => p.NextDemand).ToArray();
        }

        Assert.Equal(1, efficiency, 9);
    }

    [Theory]
    [InlineData(new[] { 60.0, 30, double.NaN }, "demands[2]")]
    [InlineData(new[] { 60.0, double.PositiveInfinity, 30 }, "demands[1]")]
    [InlineData(new[] { -1.0, 30, 30 }, "demands[0]")]
    [InlineData(new[] { 60.0, 101, 30 }, "demands[1]")]
    [InlineData(new[] { 60.0, 30 }, "demands")]
    public void Invalid_demands_name_the_field(double[] demands, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => RoundAnalyzer.Analyze(ThreeLinear, demands));

        Assert.Equal(field, error.Errors[0].Field);
    }

    [Fact]
    public void A_demand_below_the_disagreement_point_is_rejected()
    {
        var problem = new NashBargainingProblem(100, [0.5, 0.5], disagreement: [20, 0]);

        var error = Assert.Throws<ModelValidationException>(() => RoundAnalyzer.Analyze(problem, [10, 50]));

        Assert.Equal("demands[0]", error.Errors[0].Field);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Lambda_outside_zero_to_one_is_rejected(double lambda)
    {
        var error = Assert.Throws<ModelValidationException>(() => RoundAnalyzer.Analyze(ThreeLinear, [50, 30, 20], lambda));

        Assert.Equal("lambda", error.Errors[0].Field);
    }
}
