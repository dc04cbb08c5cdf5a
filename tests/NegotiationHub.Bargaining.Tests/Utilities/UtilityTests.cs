using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Utilities;

public class UtilityTests
{
    [Theory]
    // MODEL §2 table with d = 0: q(k) = k, k/α, (s + k)·ln(1 + k/s), (e^(ρk) − 1)/ρ.
    [InlineData(UtilityKind.Linear, null, 3.0, 3.0)]
    [InlineData(UtilityKind.Power, 0.5, 3.0, 6.0)]
    [InlineData(UtilityKind.Power, 0.25, 2.0, 8.0)]
    [InlineData(UtilityKind.Log, 2.0, 3.0, 4.581453659370776)] // 5·ln(2.5)
    [InlineData(UtilityKind.Exponential, 0.5, 2.0, 3.43656365691809)] // (e − 1)/0.5
    public void Fear_of_breakdown_matches_the_closed_forms(UtilityKind kind, double? parameter, double k, double expected)
    {
        var u = Utility.Create(kind, parameter);

        Assert.Equal(expected, u.FearOfBreakdown(k, 0), 12);
    }

    [Theory]
    [InlineData(UtilityKind.Linear, null)]
    [InlineData(UtilityKind.Power, 0.3)]
    [InlineData(UtilityKind.Power, 1.0)]
    [InlineData(UtilityKind.Log, 0.7)]
    [InlineData(UtilityKind.Exponential, 1.3)]
    public void Fear_of_breakdown_is_the_gain_over_the_marginal_utility_and_increases_from_zero(UtilityKind kind, double? parameter)
    {
        var u = Utility.Create(kind, parameter);
        var random = new Random(7);
        for (var trial = 0; trial < 500; trial++)
        {
            var d = random.NextDouble() * 3;
            var k = d + (random.NextDouble() * 5);
            var definition = (u.Value(k) - u.Value(d)) / u.Marginal(k); // MODEL §2: (u(k) − u(d))/u'(k)

            Assert.Equal(definition, u.FearOfBreakdown(k, d), 9);
            Assert.Equal(0, u.FearOfBreakdown(d, d), 12);
            Assert.True(u.FearOfBreakdownSlope(k, d) >= 1 - 1e-12, "dq/dk ≥ 1 for a concave utility");
            var h = 1e-5 * k;
            var numericSlope = (u.FearOfBreakdown(k + h, d) - u.FearOfBreakdown(k - h, d)) / (2 * h);
            Assert.Equal(numericSlope, u.FearOfBreakdownSlope(k, d), 1e-6 * numericSlope);
        }
    }

    [Theory]
    [InlineData(UtilityKind.Linear, null)]
    [InlineData(UtilityKind.Power, 0.05)]
    [InlineData(UtilityKind.Power, 0.6)]
    [InlineData(UtilityKind.Log, 0.01)]
    [InlineData(UtilityKind.Log, 50.0)]
    [InlineData(UtilityKind.Exponential, 0.001)]
    [InlineData(UtilityKind.Exponential, 4.0)]
    public void Inverse_fear_of_breakdown_round_trips(UtilityKind kind, double? parameter)
    {
        var u = Utility.Create(kind, parameter);
        var random = new Random(11);
        for (var trial = 0; trial < 500; trial++)
        {
            var d = random.NextDouble() < 0.3 ? 0 : random.NextDouble() * 10;
            var k = d + (Math.Pow(10, (random.NextDouble() * 5.8) - 3) / (parameter ?? 1)); // ρ(k − d) ≤ 631 < 700
            var y = u.FearOfBreakdown(k, d);

            Assert.Equal(k, u.InverseFearOfBreakdown(y, d), 1e-9 * k);
        }
    }

    [Theory]
    [InlineData(UtilityKind.Power, null, "u.alpha")]
    [InlineData(UtilityKind.Power, 0.0, "u.alpha")]
    [InlineData(UtilityKind.Power, 1.5, "u.alpha")]
    [InlineData(UtilityKind.Power, double.NaN, "u.alpha")]
    [InlineData(UtilityKind.Log, 0.0, "u.scale")]
    [InlineData(UtilityKind.Log, double.PositiveInfinity, "u.scale")]
    [InlineData(UtilityKind.Exponential, -1.0, "u.rho")]
    [InlineData((UtilityKind)42, 1.0, "u.kind")]
    public void Invalid_parameters_name_the_field(UtilityKind kind, double? parameter, string field)
    {
        var error = Assert.Throws<ModelValidationException>(() => Utility.Create(kind, parameter, "u"));

        Assert.Equal(field, error.Errors[0].Field);
    }
}
