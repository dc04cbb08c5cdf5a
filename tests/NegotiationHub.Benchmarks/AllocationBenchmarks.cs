using BenchmarkDotNet.Attributes;
using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Allocation;

namespace NegotiationHub.Benchmarks;

/// <summary>
/// PRODUCT.md target: AHP 9×9 with CR ≤ 20 µs. The matrix is a realistic expert judgement on
/// Saaty's scale: near-consistent (CR ≈ 0.02), not the exactly consistent matrix of a weight
/// vector, on which power iteration would stop after one step. The effort game uses the 3+1 shape.
/// </summary>
[MemoryDiagnoser]
public class AllocationBenchmarks
{
    // Upper triangle, row by row: nine criteria in decreasing importance, with the small
    // inconsistencies of real judgements (e.g. a_02 = a_03 = 3 but a_23 = 1, a_45 = 1).
    private static readonly double[][] UpperTriangle =
    [
        [2, 3, 3, 4, 5, 5, 7, 9],
        [2, 2, 3, 4, 4, 6, 8],
        [1, 2, 3, 4, 5, 7],
        [2, 2, 3, 5, 6],
        [1, 2, 4, 5],
        [2, 3, 4],
        [2, 3],
        [2],
        [],
    ];

    private readonly double[][] _rows = Reciprocal(UpperTriangle);
    private readonly PairwiseComparisonMatrix _matrix;
    private readonly EffortGameInput _effortGame = new(
        contributions: [0.6, 0.5, 0.4, 0.3],
        costCoefficients: [1.0, 0.8, 0.9, 0.5],
        fixedCosts: [10, 5, 8, 2],
        baseOutput: 100);

    public AllocationBenchmarks() => _matrix = new PairwiseComparisonMatrix(_rows);

    [Benchmark(Description = "AHP 9×9 with CR")]
    public AhpResult Ahp9WithCr() => AnalyticHierarchyProcess.Compute(_matrix);

    [Benchmark(Description = "AHP 9×9 with CR, including validation of the rows (what the endpoint does)")]
    public AhpResult Ahp9FromRows() => AnalyticHierarchyProcess.Compute(new PairwiseComparisonMatrix(_rows));

    [Benchmark(Description = "Effort game optimum, n = 4")]
    public EffortOptimum EffortGameOptimum() => EffortGame.Optimize(_effortGame);

    private static double[][] Reciprocal(double[][] upper)
    {
        var n = upper.Length;
        var rows = new double[n][];
        for (var i = 0; i < n; i++)
        {
            rows[i] = new double[n];
            rows[i][i] = 1;
        }

        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < upper[i].Length; k++)
            {
                var j = i + 1 + k;
                rows[i][j] = upper[i][k];
                rows[j][i] = 1 / upper[i][k];
            }
        }

        return rows;
    }
}
