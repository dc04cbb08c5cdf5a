using NegotiationHub.Bargaining.Spillover;

namespace NegotiationHub.Bargaining.Tests.Spillover;

/// <summary>
/// Solves the two-stage game numerically, from its definition (costs c_i = A − x_i − βΣ_{j≠i}x_j,
/// Cournot outputs from the firms' first-order conditions, golden-section search over R&amp;D),
/// and checks that the closed forms are its equilibria / optima.
/// </summary>
public class SpilloverGameTests
{
    private const double RelativeTolerance = 1e-6;

    public static TheoryData<double, double, double, double, double, int> Markets => new()
    {
        { 100, 1, 60, 0.3, 5, 2 },
        { 100, 1, 60, 0.9, 5, 2 },
        { 50, 2, 20, 0.8, 3, 5 },
        { 200, 0.5, 150, 0.1, 10, 10 },
    };

    [Theory]
    [MemberData(nameof(Markets))]
    public void No_cooperation_level_is_each_firms_best_response_to_the_others(double a, double b, double capA, double beta, double gamma, int n)
    {
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, n)).NoCooperation;
        var market = new Market(a, b, capA, beta, gamma, n);
        var x = result.Outcome!.RndLevel;

        var best = GoldenSection.Maximize(x1 => market.Profit(0, Deviate(n, x, x1)), 0, 10 * x);

        Assert.True(result.IsValid);
        Assert.Equal(x, best, RelativeTolerance * x);
    }

    [Theory]
    [MemberData(nameof(Markets))]
    public void Best_response_iteration_converges_to_the_no_cooperation_level(double a, double b, double capA, double beta, double gamma, int n)
    {
        var expected = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, n)).NoCooperation.Outcome!.RndLevel;
        var market = new Market(a, b, capA, beta, gamma, n);

        var x = 0.0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var others = x;
            x = GoldenSection.Maximize(x1 => market.Profit(0, Deviate(n, others, x1)), 0, 10 * expected);
        }

        Assert.Equal(expected, x, RelativeTolerance * expected);
    }

    [Theory]
    [MemberData(nameof(Markets))]
    public void RnD_cooperation_level_maximises_symmetric_joint_profit(double a, double b, double capA, double beta, double gamma, int n)
    {
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, n)).RndCooperation;
        var market = new Market(a, b, capA, beta, gamma, n);
        var x = result.Outcome!.RndLevel;

        var best = GoldenSection.Maximize(s => market.JointProfit(Enumerable.Repeat(s, n).ToArray()), 0, 10 * x);

        Assert.True(result.IsValid);
        Assert.Equal(x, best, RelativeTolerance * x);
    }

    [Theory]
    [MemberData(nameof(Markets))]
    public void Full_cooperation_level_maximises_cartel_profit_with_symmetric_RnD(double a, double b, double capA, double beta, double gamma, int n)
    {
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, n)).FullCooperation;
        var x = result.Outcome!.RndLevel;

        // Inner problem: the cartel's best total output at common cost c, found numerically too.
        double CartelProfit(double s)
        {
            var c = capA - s - (beta * (n - 1) * s);
            var q = GoldenSection.Maximize(total => (a - (b * total) - c) * total, 0, a / b);
            return ((a - (b * q) - c) * q) - (n * gamma * s * s / 2);
        }

        var best = GoldenSection.Maximize(CartelProfit, 0, 10 * x);

        Assert.True(result.IsValid);
        Assert.Equal(x, best, 1e-5 * x);
        Assert.Equal((a - result.Outcome.UnitCost) / (2 * b), result.Outcome.TotalOutput, 1e-12 * result.Outcome.TotalOutput);
    }

    // Derived SOC: the symmetric RJV plan is a saddle (uneven R&D pays) iff bγ ≤ 2(1−β)².
    [Theory]
    [InlineData(1.0, 0.0, true)]   // bγ = 1 ≤ 2
    [InlineData(1.0, 0.5, false)]  // bγ = 1 > 0.5
    [InlineData(5.0, 0.3, false)]  // bγ = 5 > 0.98
    [InlineData(0.5, 0.2, true)]   // bγ = 0.5 ≤ 1.28
    public void Uneven_RnD_pays_exactly_when_the_uneven_second_order_condition_fails(double gamma, double beta, bool expectUneven)
    {
        const double a = 100, b = 1, capA = 90;
        const int n = 2;
        var result = SpilloverAnalysis.Analyze(new SpilloverInput(a, b, capA, beta, gamma, n)).RndCooperation;
        var market = new Market(a, b, capA, beta, gamma, n);
        var x = result.Outcome!.RndLevel;
        var step = 1e-3 * x;

        var symmetric = market.JointProfit([x, x]);
        var uneven = market.JointProfit([x + step, x - step]);

        Assert.True(result.IsValid);
        Assert.Equal(expectUneven, result.UnevenRndMoreProfitable);
        Assert.Equal(expectUneven, uneven > symmetric);
    }

    [Fact]
    public void A_cartel_gains_from_uneven_RnD_unless_spillovers_are_complete()
    {
        Assert.True(SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 60, 0.99, 5, 3)).FullCooperation.UnevenRndMoreProfitable);
        Assert.False(SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 60, 1, 5, 3)).FullCooperation.UnevenRndMoreProfitable);
        Assert.False(SpilloverAnalysis.Analyze(new SpilloverInput(100, 1, 60, 0, 5, 3)).NoCooperation.UnevenRndMoreProfitable);
    }

    private static double[] Deviate(int n, double others, double own)
    {
        var x = Enumerable.Repeat(others, n).ToArray();
        x[0] = own;
        return x;
    }

    /// <summary>The game from its definition: costs, then the Cournot equilibrium of the output stage.</summary>
    private sealed record Market(double A, double B, double CapA, double Beta, double Gamma, int N)
    {
        public double[] Costs(double[] x)
        {
            var sum = x.Sum();
            return x.Select(own => CapA - own - (Beta * (sum - own))).ToArray();
        }

        // Cournot FOCs a − bQ − b q_i − c_i = 0 give b(n+1)Q = na − Σc, then q_i = (a − c_i)/b − Q.
        public double[] Outputs(double[] costs)
        {
            var total = ((N * A) - costs.Sum()) / (B * (N + 1));
            var q = costs.Select(c => ((A - c) / B) - total).ToArray();
            Assert.All(q, qi => Assert.True(qi > 0, "the Cournot stage must be interior"));
            return q;
        }

        public double Profit(int firm, double[] x)
        {
            var costs = Costs(x);
            var q = Outputs(costs);
            var price = A - (B * q.Sum());
            return ((price - costs[firm]) * q[firm]) - (Gamma * x[firm] * x[firm] / 2);
        }

        public double JointProfit(double[] x) => Enumerable.Range(0, N).Sum(i => Profit(i, x));
    }
}
