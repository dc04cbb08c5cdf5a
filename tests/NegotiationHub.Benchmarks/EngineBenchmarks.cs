using BenchmarkDotNet.Attributes;
using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Bargaining.Utilities;

namespace NegotiationHub.Benchmarks;

/// <summary>
/// PRODUCT.md targets: NBS for 4 parties with non-linear utilities ≤ 20 µs median; a full round
/// analysis ≤ 50 µs. Inputs are the demo's 3+1 shape: one utility of each kind, disagreement points.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private readonly NashBargainingProblem _problem = new(
        1000,
        [0.31, 0.27, 0.24, 0.18],
        [
            Utility.Create(UtilityKind.Power, 0.6),
            Utility.Create(UtilityKind.Log, 250),
            Utility.Create(UtilityKind.Exponential, 0.002),
            Utility.Linear,
        ],
        [50, 80, 30, 20]);

    private readonly double[] _demands = [420, 330, 260, 210];

    [Benchmark(Description = "NBS, n = 4, power/log/exponential/linear utilities")]
    public NashBargainingSolution NashBargainingSolution() => NashBargainingSolver.Solve(_problem);

    [Benchmark(Description = "Round analysis, n = 4 (includes the NBS)")]
    public RoundAnalysis RoundAnalysis() => RoundAnalyzer.Analyze(_problem, _demands);
}
