using NegotiationHub.Bargaining.Symbiosis;

namespace NegotiationHub.Bargaining.Tests.Symbiosis;

public class SymbiosisTrajectoryTests
{
    [Fact]
    public void Without_interaction_each_member_follows_its_own_logistic_curve()
    {
        double[] k = [0.5, 1, 2];
        double[] capacity = [100, 50, 10];
        double[] initial = [1, 80, 0.5];
        var input = new SymbiosisInput(k, capacity, [[0, 0, 0], [0, 0, 0], [0, 0, 0]], initial, 20, 201);

        var trajectory = LogisticSymbiosis.Integrate(input);

        Assert.Equal(TrajectoryStatus.Completed, trajectory.Status);
        Assert.Equal(201, trajectory.Points.Count);
        foreach (var point in trajectory.Points)
        {
            for (var i = 0; i < 3; i++)
            {
                // Q_i(t) = N_i / (1 + (N_i/Q0_i − 1) e^{−k_i t}).
                var expected = capacity[i] / (1 + (((capacity[i] / initial[i]) - 1) * Math.Exp(-k[i] * point.Time)));
                Assert.Equal(expected, point.Sizes[i], 1e-6 * expected);
            }
        }
    }

    [Fact]
    public void Output_times_are_evenly_spaced_from_zero_to_the_horizon()
    {
        var trajectory = LogisticSymbiosis.Integrate(Alliance.Two(0.2, 0.1, horizon: 7, points: 8));

        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], trajectory.Points.Select(p => p.Time));
        Assert.Equal([50, 25], trajectory.Points[0].Sizes);
        Assert.Equal(7, trajectory.StoppedAt);
    }

    [Theory]
    [InlineData(0.3, 0.4)]
    [InlineData(-0.8, -0.9)]
    [InlineData(0.5, -0.8)]
    public void A_stable_two_member_alliance_settles_at_the_closed_form_equilibrium(double d1, double d2)
    {
        const double n1 = 100, n2 = 50;
        var q1 = n1 * (1 + d1) / (1 - (d1 * d2));
        var q2 = n2 * (1 + d2) / (1 - (d1 * d2));
        var input = Alliance.Two(d1, d2, n1, n2, horizon: 200, points: 3, initial: [q1 * 1.1, q2 * 0.9]);

        var trajectory = LogisticSymbiosis.Integrate(input);

        Assert.Equal(TrajectoryStatus.Completed, trajectory.Status);
        var end = trajectory.Points[^1].Sizes;
        Assert.Equal(q1, end[0], 1e-4 * q1);
        Assert.Equal(q2, end[1], 1e-4 * q2);
    }

    [Fact]
    public void A_stable_larger_alliance_settles_at_its_equilibrium()
    {
        var rng = new Random(2024);
        var probe = Alliance.RandomWeak(rng, 8);
        var equilibrium = LogisticSymbiosis.FindEquilibrium(probe);
        double[] start = [.. equilibrium.Sizes!.Select((q, i) => q * (i % 2 == 0 ? 1.05 : 0.95))];
        var input = new SymbiosisInput(probe.GrowthRates, probe.Capacities, probe.Delta, start, 500, 2);

        var trajectory = LogisticSymbiosis.Integrate(input);

        Assert.True(equilibrium.IsStable);
        Assert.Equal(TrajectoryStatus.Completed, trajectory.Status);
        Assert.All(trajectory.Points[^1].Sizes.Zip(equilibrium.Sizes!), p => Assert.Equal(p.Second, p.First, 1e-4 * p.Second));
    }

    [Fact]
    public void Runaway_mutualism_stops_with_a_blow_up_flag()
    {
        // δ₁δ₂ = 4 > 1: no positive equilibrium, the sizes grow without bound (in finite time).
        var trajectory = LogisticSymbiosis.Integrate(Alliance.Two(2, 2, horizon: 100, points: 101));

        Assert.Equal(TrajectoryStatus.BlewUp, trajectory.Status);
        Assert.True(trajectory.StoppedAt < 100);
        Assert.True(trajectory.Points.Count < 101);
        Assert.All(trajectory.Points, p => Assert.All(p.Sizes, q => Assert.True(double.IsFinite(q))));
    }

    [Fact]
    public void Unbounded_work_stops_at_the_step_limit()
    {
        // k·T = 1e12: explicit steps are bounded by stability (h ≲ 3/k), far beyond the budget.
        var input = Alliance.Two(0.1, 0.1, k1: 1e6, k2: 1e6, horizon: 1e6, points: 2);

        var trajectory = LogisticSymbiosis.Integrate(input);

        Assert.Equal(TrajectoryStatus.StepLimitReached, trajectory.Status);
        Assert.Equal(LogisticSymbiosis.MaxSteps, trajectory.Steps);
        Assert.Single(trajectory.Points);
    }

    [Fact]
    public void Overflowing_growth_rates_stop_with_a_non_finite_flag()
    {
        var input = Alliance.Two(0.1, 0.1, k1: 1e308, k2: 1e308, initial: [1e10, 1]);

        var trajectory = LogisticSymbiosis.Integrate(input);

        Assert.Equal(TrajectoryStatus.NonFinite, trajectory.Status);
        Assert.Single(trajectory.Points);
    }

    [Fact]
    public void Analyze_combines_equilibrium_relations_and_trajectory()
    {
        var input = Alliance.Two(0.3, -0.2);

        var result = LogisticSymbiosis.Analyze(input);

        Assert.Equal(LogisticSymbiosis.FindEquilibrium(input).Sizes, result.Equilibrium.Sizes);
        Assert.Equal(SymbioticRelation.Parasitism, Assert.Single(result.Relations).Relation);
        Assert.Equal(input.Points, result.Trajectory.Points.Count);
    }
}
