using System.Globalization;
using CsCheck;
using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Tests.Allocation;
using NegotiationHub.Bargaining.Utilities;

namespace NegotiationHub.Bargaining.Tests.Properties;

/// <summary>
/// CsCheck generators of the engine's inputs (issue 18, item 7). Every generator is built from
/// CsCheck's own primitives, so a failing property shrinks to its smallest counterexample, and
/// the <c>Print…</c> functions write that counterexample as numbers that round-trip.
/// </summary>
internal static class EngineGen
{
    /// <summary>Probability vectors of length <paramref name="n"/>, each component ≥ 0.01/(n + 0.01·n).</summary>
    public static Gen<double[]> Shares(int n) =>
        Gen.Double[0.01, 1.01].Array[n].Select(raw => Normalize(raw));

    /// <summary>Points of the simplex, exponential spacings normalized (uniform on the simplex).</summary>
    public static Gen<double[]> SimplexPoint(int n) =>
        Gen.Double[1e-12, 0.999999].Array[n].Select(u => Normalize([.. u.Select(x => -Math.Log(x))]));

    /// <summary>
    /// NBS problems of 2–8 parties (MODEL §3): K in [0.1, 1000], powers normalized from
    /// [0.05, 1.05], each utility linear, power (α in [0.1, 1]), log (scale in [0.01, 1.01]·K) or
    /// exponential (c in [0.1, 3.1]/K), and Σd at most 0.9 K with about a third of the d_i zero.
    /// </summary>
    public static readonly Gen<NashBargainingProblem> NashProblem =
        from n in Gen.Int[2, 8]
        from logPool in Gen.Double[-1, 3]
        from rawPowers in Gen.Double[0.05, 1.05].Array[n]
        from kinds in Gen.Int[0, 3].Array[n]
        from parameters in Gen.Double[0, 1].Array[n]
        from zero in Gen.Double[0, 1].Array[n]
        from rawD in Gen.Double[0, 1].Array[n]
        from dFraction in Gen.Double[0, 0.9]
        select Problem(Math.Pow(10, logPool), rawPowers, kinds, parameters, zero, rawD, dFraction);

    /// <summary>A problem of <see cref="NashProblem"/> with demands (<see cref="WithDemands"/>).</summary>
    public static readonly Gen<(NashBargainingProblem Problem, double[] Demands)> NashProblemWithDemands = WithDemands(NashProblem);

    /// <summary>Each problem with demands d_i + u_i (K − d_i), u_i in [0, 1], never above K after rounding.</summary>
    public static Gen<(NashBargainingProblem Problem, double[] Demands)> WithDemands(Gen<NashBargainingProblem> problems) =>
        from problem in problems
        from u in Gen.Double[0, 1].Array[problem.Parties]
        select (problem, u.Select((x, i) => Math.Min(problem.Pool, problem.Disagreement[i] + (x * (problem.Pool - problem.Disagreement[i])))).ToArray());

    /// <summary>
    /// <paramref name="iterations"/> times NH_PROPERTY_SCALE (default 1): NH_PROPERTY_SCALE=50 runs
    /// every property fifty times as long, a soak before a change to the engine lands.
    /// </summary>
    public static int Scaled(int iterations) =>
        iterations * (int.TryParse(Environment.GetEnvironmentVariable("NH_PROPERTY_SCALE"), out var scale) && scale > 0 ? scale : 1);

    /// <summary>
    /// Reciprocal pairwise comparison matrices of size 1–<paramref name="maxSize"/>: each judgement
    /// above the diagonal on Saaty's scale 1/9 … 9, its mirror the reciprocal.
    /// </summary>
    public static Gen<double[][]> ReciprocalMatrix(int maxSize) =>
        from n in Gen.Int[1, maxSize]
        from judgements in Gen.Int[-8, 8].Array[n * (n - 1) / 2]
        select Reciprocal(n, judgements);

    /// <summary>
    /// Effort games (MODEL §7a) of <paramref name="n"/> parties: effort weights w in [0.02, 0.98],
    /// contributions d in [0.2, 3.2] (so b = d²/w), C0 in [0, 5], P0 in [0, 10].
    /// </summary>
    public static Gen<EffortGameTests.Game> EffortGame(int n) =>
        from w in Gen.Double[0.02, 0.98].Array[n]
        from d in Gen.Double[0.2, 3.2].Array[n]
        from c0 in Gen.Double[0, 5].Array[n]
        from p0 in Gen.Double[0, 10]
        select new EffortGameTests.Game(w, d, c0, p0);

    public static string Print(EffortGameTests.Game game) => string.Create(CultureInfo.InvariantCulture,
        $"w=[{Join(game.W)}] d=[{Join(game.D)}] C0=[{Join(game.C0)}] P0={game.P0:R}");

    public static string Print(NashBargainingProblem problem) => string.Create(CultureInfo.InvariantCulture,
        $"pool={problem.Pool:R} powers=[{Join(problem.Powers)}] utilities=[{string.Join(", ", problem.Utilities.Select(u => u.Parameter is { } a ? $"{u.Kind}({a:R})" : u.Kind.ToString()))}] d=[{Join(problem.Disagreement)}]");

    public static string Print(double[][] rows) => "[" + string.Join("; ", rows.Select(r => Join(r))) + "]";

    public static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static double[] Normalize(double[] raw)
    {
        var sum = raw.Sum();
        return [.. raw.Select(x => x / sum)];
    }

    private static NashBargainingProblem Problem(double pool, double[] rawPowers, int[] kinds, double[] parameters, double[] zero, double[] rawD, double dFraction)
    {
        var n = rawPowers.Length;
        var utilities = Enumerable.Range(0, n).Select(i => kinds[i] switch
        {
            0 => Utility.Linear,
            1 => Utility.Create(UtilityKind.Power, 0.1 + (0.9 * parameters[i])),
            2 => Utility.Create(UtilityKind.Log, pool * (0.01 + parameters[i])),
            _ => Utility.Create(UtilityKind.Exponential, (0.1 + (3 * parameters[i])) / pool),
        }).ToArray();
        var dRaw = rawD.Select((x, i) => zero[i] < 0.3 ? 0 : x).ToArray();
        var dScale = dFraction * pool / Math.Max(dRaw.Sum(), 1e-9);
        return new NashBargainingProblem(pool, Normalize(rawPowers), utilities, [.. dRaw.Select(x => x * dScale)]);
    }

    private static double[][] Reciprocal(int n, int[] judgements)
    {
        var rows = Enumerable.Range(0, n).Select(_ => new double[n]).ToArray();
        var next = 0;
        for (var i = 0; i < n; i++)
        {
            rows[i][i] = 1;
            for (var j = i + 1; j < n; j++)
            {
                // −8 … 8 ↦ 1/9 … 1/2, 1, 2 … 9
                var j0 = judgements[next++];
                rows[i][j] = j0 >= 0 ? j0 + 1 : 1.0 / (1 - j0);
                rows[j][i] = 1 / rows[i][j];
            }
        }

        return rows;
    }
}
