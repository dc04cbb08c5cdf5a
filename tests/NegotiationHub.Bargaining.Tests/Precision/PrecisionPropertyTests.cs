using System.Globalization;
using CsCheck;
using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Power;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Bargaining.Tests.Oracles;
using NegotiationHub.Bargaining.Tests.Properties;
using NegotiationHub.Bargaining.Utilities;

namespace NegotiationHub.Bargaining.Tests.Precision;

/// <summary>
/// The engine against exact arithmetic over its whole domain (issue 19): every magnitude — K,
/// d, α, s, ρ·K, strengths — drawn log-uniformly across 1e−12…1e15 (ρ·K up to its bound 700),
/// allocations within 1e−9·K of the exact NBS (<see cref="NbsOracle"/>), powers within 1e−12 of
/// exact rational arithmetic (<see cref="PowerOracle"/>), and never a non-finite number.
/// </summary>
public class PrecisionPropertyTests
{
    private static readonly int Iterations = EngineGen.Scaled(300);

    private static Gen<double> LogUniform(double lo, double hi) => Gen.Double[Math.Log10(lo), Math.Log10(hi)].Select(x => Math.Pow(10, x));

    private static readonly Gen<NashBargainingProblem> WideProblem =
        from n in Gen.Int[2, 6]
        from pool in LogUniform(1e-12, 1e15)
        from rawPowers in LogUniform(1e-6, 1).Array[n]
        from kinds in Gen.Int[0, 3].Array[n]
        from alphas in LogUniform(1e-12, 1).Array[n]
        from scales in LogUniform(1e-12, 1e15).Array[n]
        from rhoPools in LogUniform(1e-12, 700).Array[n]
        from dRaw in LogUniform(1e-12, 1).Array[n]
        from dZero in Gen.Bool.Array[n]
        from dTotal in Gen.Double[0, 0.99]
        select Build(pool, rawPowers, kinds, alphas, scales, rhoPools, dRaw, dZero, dTotal);

    [Fact]
    public void The_NBS_is_within_1e_9_of_K_of_the_exact_solution_with_every_number_finite()
    {
        WideProblem.Sample(problem =>
        {
            var solution = NashBargainingSolver.Solve(problem);

            var error = NbsOracle.RelativeError(problem, solution.Allocation);
            Assert.True(error <= 1e-9, $"allocation error {error.ToString("G3", CultureInfo.InvariantCulture)}·K");
            Assert.Equal(problem.Pool, solution.Allocation.Sum(), 1e-11 * problem.Pool);
            for (var i = 0; i < problem.Parties; i++)
            {
                Assert.True(solution.Allocation[i] > problem.Disagreement[i], $"k_{i} > d_{i}");
            }

            Assert.All(solution.Shares.Concat(solution.Ratios), x => Assert.True(double.IsFinite(x)));
            Assert.True(double.IsFinite(solution.Level) && double.IsFinite(solution.NashProduct) && double.IsFinite(solution.LogNashProduct),
                $"level {solution.Level}, NP {solution.NashProduct}, log NP {solution.LogNashProduct}");
        }, iter: Iterations, print: EngineGen.Print);
    }

    [Fact]
    public void A_round_over_the_wide_domain_reports_only_finite_figures()
    {
        EngineGen.WithDemands(WideProblem).Sample(t =>
        {
            var round = RoundAnalyzer.Analyze(t.Problem, t.Demands, 0.5);

            Assert.InRange(round.NashEfficiency, 0, 1);
            Assert.True(double.IsFinite(round.Distance) && double.IsFinite(round.RatioSpread) && double.IsFinite(round.Gap));
            Assert.All(round.Parties, p => Assert.True(
                double.IsFinite(p.Ratio) && double.IsFinite(p.FearOfBreakdown) && double.IsFinite(p.Projected) && double.IsFinite(p.Target) && double.IsFinite(p.NextDemand)));
        }, iter: Iterations, print: t => $"{EngineGen.Print(t.Problem)} demands=[{EngineGen.Join(t.Demands)}]");
    }

    [Fact]
    public void Bargaining_power_matches_exact_rational_arithmetic_to_1e_12()
    {
        var gen = from n in Gen.Int[2, 6]
                  from m in Gen.Int[1, 4]
                  from strengths in LogUniform(1e-12, 1e15).Array[m].Array[n]
                  from rawWeights in Gen.Double[0.01, 1].Array[m]
                  select (strengths, weights: rawWeights.Select(w => w / rawWeights.Sum()).ToArray());

        gen.Sample(t =>
        {
            var weights = t.weights;
            var result = BargainingPower.Compute(new BargainingPowerInput(t.strengths, weights));

            var (raw, power) = PowerOracle.Compute(t.strengths, weights);
            for (var i = 0; i < t.strengths.Length; i++)
            {
                Assert.True(Math.Abs(result.RawPower[i] - raw[i]) <= 1e-12 * raw[i], $"H_{i}: {result.RawPower[i]:R} vs {raw[i]:R}");
                Assert.True(Math.Abs(result.Power[i] - power[i]) <= 1e-12 * power[i], $"h_{i}: {result.Power[i]:R} vs {power[i]:R}");
                Assert.All(result.Ratios[i], r => Assert.True(double.IsFinite(r) && r > 0));
            }
        }, iter: Iterations * 3, print: t => $"strengths={EngineGen.Print(t.strengths)} weights=[{EngineGen.Join(t.weights)}]");
    }

    private static NashBargainingProblem Build(double pool, double[] rawPowers, int[] kinds, double[] alphas, double[] scales, double[] rhoPools, double[] dRaw, bool[] dZero, double dTotal)
    {
        var n = rawPowers.Length;
        var utilities = Enumerable.Range(0, n).Select(i => kinds[i] switch
        {
            0 => Utility.Linear,
            1 => Utility.Create(UtilityKind.Power, alphas[i]),
            2 => Utility.Create(UtilityKind.Log, scales[i]),
            _ => Utility.Create(UtilityKind.Exponential, rhoPools[i] / pool),
        }).ToArray();
        var d = dRaw.Select((x, i) => dZero[i] ? 0 : x).ToArray();
        var sum = d.Sum();
        var disagreement = sum > 0 ? d.Select(x => x / sum * dTotal * pool).ToArray() : d;
        var total = rawPowers.Sum();
        return new NashBargainingProblem(pool, [.. rawPowers.Select(h => h / total)], utilities, disagreement);
    }
}
