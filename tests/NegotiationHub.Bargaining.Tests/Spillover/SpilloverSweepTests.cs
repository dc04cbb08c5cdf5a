using NegotiationHub.Bargaining.Spillover;

namespace NegotiationHub.Bargaining.Tests.Spillover;

public class SpilloverSweepTests
{
    private static readonly SpilloverInput Market = new(100, 1, 60, 0.3, 5, 3);

    [Theory]
    [InlineData(2)]
    [InlineData(11)]
    [InlineData(1001)]
    public void The_grid_runs_evenly_from_zero_to_one(int points)
    {
        var sweep = SpilloverAnalysis.Sweep(Market, points);

        Assert.Equal(points, sweep.Count);
        Assert.Equal(0, sweep[0].Beta);
        Assert.Equal(1, sweep[^1].Beta);
        Assert.All(sweep.Select((p, k) => (p, k)), e => Assert.Equal((double)e.k / (points - 1), e.p.Beta, 1e-15));
    }

    [Fact]
    public void Each_point_carries_the_three_closed_form_levels()
    {
        var sweep = SpilloverAnalysis.Sweep(Market, 21);

        Assert.All(sweep, p =>
        {
            Assert.Equal(AjFormulas.NoCooperation(100, 1, 60, p.Beta, 5, 3), p.NoCooperation!.Value, 1e-12);
            Assert.Equal(AjFormulas.RndCooperation(100, 1, 60, p.Beta, 5, 3), p.RndCooperation!.Value, 1e-12);
            Assert.Equal(AjFormulas.FullCooperation(100, 1, 60, p.Beta, 5, 3), p.FullCooperation!.Value, 1e-12);
        });
    }

    [Fact]
    public void Invalid_regions_are_gaps()
    {
        // n = 2, bγ = 0.3: regime 3 needs 2nbγ = 1.2 > φ² = (1+β)², i.e. β < 0.095; at β = 0, x̂ = 50 and c = 40 > 0.
        var sweep = SpilloverAnalysis.Sweep(new SpilloverInput(100, 1, 90, 0, 0.3, 2), 11);

        Assert.All(sweep, p => Assert.Equal((1 + p.Beta) * (1 + p.Beta) < 1.2, p.FullCooperation is not null));
        Assert.Equal(50, sweep[0].FullCooperation!.Value, 1e-12);
    }
}
