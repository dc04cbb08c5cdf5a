using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Utilities;

namespace NegotiationHub.Bargaining.Tests.Oracles;

/// <summary>The oracle's own arithmetic against known values, so it can be trusted as one.</summary>
public class BigFixedTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.1)]
    [InlineData(1e-15)]
    [InlineData(1e15)]
    [InlineData(-3.3e9)]
    [InlineData(1e-100)]
    public void Doubles_convert_exactly_both_ways(double x) => Assert.Equal(x, BigFixed.FromDouble(x).ToDouble());

    [Theory]
    [InlineData(2.0, 0.69314718055994530942)]
    [InlineData(10.0, 2.30258509299404568402)]
    [InlineData(1e-12, -27.6310211159285482)]
    [InlineData(1e15, 34.5387763949106852)]
    public void Ln_of_known_values(double x, double expected) =>
        Assert.Equal(expected, BigFixed.Ln(BigFixed.FromDouble(x)).ToDouble(), 1e-15 * Math.Abs(expected));

    [Fact]
    public void Ln_of_one_plus_a_tiny_x_keeps_every_digit()
    {
        // ln(1 + 1e−20) = 1e−20 − 5e−41 + …: a double's log1p would need care; the oracle has 150 digits.
        var x = BigFixed.FromDouble(1e-20);

        Assert.Equal(1e-20, BigFixed.Ln(BigFixed.One + x).ToDouble(), 1e-35);
    }

    [Theory]
    [InlineData(1.0, 2.71828182845904523536)]
    [InlineData(-1.0, 0.36787944117144232160)]
    [InlineData(700.0, 1.0142320547350045e304)]
    [InlineData(-30.0, 9.3576229688401746e-14)]
    public void Exp_of_known_values(double x, double expected) =>
        Assert.Equal(expected, BigFixed.Exp(BigFixed.FromDouble(x)).ToDouble(), 1e-15 * expected);

    [Fact]
    public void Exp_inverts_ln_and_pow_gives_square_roots()
    {
        var x = BigFixed.FromDouble(12345.678);

        Assert.Equal(12345.678, BigFixed.Exp(BigFixed.Ln(x)).ToDouble(), 1e-11);
        Assert.Equal(Math.Sqrt(2), BigFixed.Pow(BigFixed.FromDouble(2), BigFixed.FromDouble(0.5)).ToDouble(), 1e-16);
    }
}

/// <summary>The NBS oracle tells an exact solution from one moved by a small amount.</summary>
public class NbsOracleTests
{
    [Theory]
    [InlineData(1e-12)]
    [InlineData(100)]
    [InlineData(1e15)]
    public void It_measures_a_known_displacement_from_the_closed_form_solution(double pool)
    {
        // Linear utilities, d = 0: k*_i = h_i·K exactly (MODEL §3). Move 1e−8·K from party 0 to party 1.
        var problem = new NashBargainingProblem(pool, [0.5, 0.25, 0.25]);
        double[] exact = [0.5 * pool, 0.25 * pool, 0.25 * pool];
        double[] moved = [exact[0] - (1e-8 * pool), exact[1] + (1e-8 * pool), exact[2]];

        Assert.True(NbsOracle.RelativeError(problem, exact) <= 1e-15);
        Assert.Equal(1e-8, NbsOracle.RelativeError(problem, moved), 1e-12);
    }

    [Fact]
    public void It_sees_the_error_of_an_allocation_that_cancelled()
    {
        // The log-scale case of issue 19 at s = 1e16 used to return (44, 32, 22) for three log utilities.
        var log = Utility.Create(UtilityKind.Log, 1e16);
        var problem = new NashBargainingProblem(100, [0.4, 0.35, 0.25], [log, log, log], [10, 5, 0]);

        Assert.True(NbsOracle.RelativeError(problem, [44, 32, 22]) > 1e-2);
        Assert.True(NbsOracle.RelativeError(problem, [44, 34.75, 21.25]) < 1e-12);
    }
}
