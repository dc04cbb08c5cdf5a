using NegotiationHub.Bargaining.Symbiosis;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Tests.Symbiosis;

public class SymbiosisValidationTests
{
    private static readonly double[] K = [1, 2];
    private static readonly double[] N = [10, 20];
    private static readonly double[][] Delta = [[0, 0.5], [0.3, 0]];
    private static readonly double[] Q0 = [1, 2];

    private static readonly Dictionary<string, Func<SymbiosisInput>> Cases = new()
    {
        ["one member"] = () => Make(k: [1]),
        ["seventeen members"] = () => Make(k: [.. Enumerable.Repeat(1.0, 17)]),
        ["missing growth rates"] = () => new SymbiosisInput(null!, N, Delta, Q0, 5, 11),
        ["NaN growth rate"] = () => Make(k: [1, double.NaN]),
        ["zero growth rate"] = () => Make(k: [0, 1]),
        ["capacities too short"] = () => Make(n: [10]),
        ["negative capacity"] = () => Make(n: [10, -1]),
        ["infinite capacity"] = () => Make(n: [double.PositiveInfinity, 1]),
        ["three delta rows"] = () => Make(delta: [[0, 0], [0, 0], [0, 0]]),
        ["delta row too long"] = () => Make(delta: [[0, 0.5], [0.3, 0, 0]]),
        ["NaN delta"] = () => Make(delta: [[0, 0.5], [double.NaN, 0]]),
        ["infinite delta"] = () => Make(delta: [[0, double.NegativeInfinity], [0.3, 0]]),
        ["non-zero diagonal"] = () => Make(delta: [[0, 0.5], [0.3, 0.1]]),
        ["initial too long"] = () => Make(q0: [1, 2, 3]),
        ["zero initial size"] = () => Make(q0: [1, 0]),
        ["NaN initial size"] = () => Make(q0: [double.NaN, 1]),
        ["zero horizon"] = () => Make(horizon: 0),
        ["negative horizon"] = () => Make(horizon: -1),
        ["infinite horizon"] = () => Make(horizon: double.PositiveInfinity),
        ["NaN horizon"] = () => Make(horizon: double.NaN),
        ["one point"] = () => Make(points: 1),
        ["too many points"] = () => Make(points: ModelLimits.MaxTrajectoryPoints + 1),
    };

    public static TheoryData<string, string> InvalidInputs => new()
    {
        { "one member", "growthRates" },
        { "seventeen members", "growthRates" },
        { "missing growth rates", "growthRates" },
        { "NaN growth rate", "growthRates[1]" },
        { "zero growth rate", "growthRates[0]" },
        { "capacities too short", "capacities" },
        { "negative capacity", "capacities[1]" },
        { "infinite capacity", "capacities[0]" },
        { "three delta rows", "delta" },
        { "delta row too long", "delta[1]" },
        { "NaN delta", "delta[1][0]" },
        { "infinite delta", "delta[0][1]" },
        { "non-zero diagonal", "delta[1][1]" },
        { "initial too long", "initial" },
        { "zero initial size", "initial[1]" },
        { "NaN initial size", "initial[0]" },
        { "zero horizon", "horizon" },
        { "negative horizon", "horizon" },
        { "infinite horizon", "horizon" },
        { "NaN horizon", "horizon" },
        { "one point", "points" },
        { "too many points", "points" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Invalid_input_names_the_field(string @case, string field)
    {
        var error = Assert.Throws<ModelValidationException>(Cases[@case]);

        var only = Assert.Single(error.Errors);
        Assert.Equal(field, only.Field);
        Assert.False(string.IsNullOrWhiteSpace(only.Message));
    }

    [Fact]
    public void Every_invalid_case_is_in_the_table()
    {
        Assert.Equal(Cases.Keys.Order(), InvalidInputs.Select(row => (string)row[0]).Order());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(ModelLimits.MaxTrajectoryPoints)]
    public void The_point_limits_are_inclusive(int points)
    {
        Assert.Equal(points, Make(points: points).Points);
    }

    [Fact]
    public void Sixteen_members_are_accepted()
    {
        var n = ModelLimits.MaxParties;
        var zero = Enumerable.Range(0, n).Select(_ => (IReadOnlyList<double>)new double[n]).ToArray();

        var input = new SymbiosisInput([.. Enumerable.Repeat(1.0, n)], [.. Enumerable.Repeat(1.0, n)], zero, [.. Enumerable.Repeat(0.5, n)], 1, 2);

        Assert.Equal(n, input.MemberCount);
    }

    [Fact]
    public void The_input_keeps_its_own_copy_of_the_lists()
    {
        double[] k = [1, 2];
        var input = new SymbiosisInput(k, N, Delta, Q0, 1, 2);

        k[0] = 99;

        Assert.Equal(1, input.GrowthRates[0]);
    }

    private static SymbiosisInput Make(
        double[]? k = default, double[]? n = default, double[][]? delta = default, double[]? q0 = default, double horizon = 5, int points = 11)
    {
        return new SymbiosisInput(k ?? K, n ?? N, delta ?? Delta, q0 ?? Q0, horizon, points);
    }
}
