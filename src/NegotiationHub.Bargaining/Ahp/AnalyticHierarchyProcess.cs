using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Ahp;

/// <summary>
/// One judgement <c>a_ij</c> (i &lt; j, the upper triangle a client fills in) compared with what the
/// derived weights imply for it.
/// </summary>
/// <param name="Row">i, the row of the judgement (0-based).</param>
/// <param name="Column">j, the column of the judgement (0-based), &gt; <paramref name="Row"/>.</param>
/// <param name="Value">The judgement <c>a_ij</c> as given.</param>
/// <param name="ImpliedRatio"><c>w_i / w_j</c>: the value a perfectly consistent matrix with these weights would hold.</param>
/// <param name="Departure"><c>|ln(a_ij · w_j / w_i)|</c> ≥ 0: 0 when the judgement agrees with the weights; ln 9 ≈ 2.2 when it is off by a factor of 9.</param>
public sealed record AhpJudgement(int Row, int Column, double Value, double ImpliedRatio, double Departure)
{
    /// <summary>The JSON path of the judgement, e.g. <c>matrix[0][2]</c>.</summary>
    public string Field => $"matrix[{Row}][{Column}]";

    /// <summary>
    /// The value on Saaty's scale (1/9, …, 1/2, 1, 2, …, 9) nearest to <see cref="ImpliedRatio"/>
    /// in ratio terms: a judgement that would fit the weights. Replacing one judgement does not by
    /// itself guarantee an acceptable CR.
    /// </summary>
    public double SuggestedValue => AnalyticHierarchyProcess.NearestSaatyValue(ImpliedRatio);
}

/// <summary>The AHP result of MODEL §6 for one pairwise comparison matrix.</summary>
/// <param name="Weights">The principal right eigenvector of A, normalized to sum 1; every weight &gt; 0.</param>
/// <param name="LambdaMax">λmax, the principal (Perron) eigenvalue; ≥ n, and = n exactly for a consistent matrix.</param>
/// <param name="ConsistencyIndex">CI = (λmax − n)/(n − 1) ≥ 0; 0 for n ≤ 2.</param>
/// <param name="RandomIndex">Saaty's random index RI(n) (<see cref="AnalyticHierarchyProcess.RandomIndex"/>).</param>
/// <param name="ConsistencyRatio">CR = CI/RI(n) ≥ 0; 0 where RI(n) = 0 (n ≤ 2).</param>
/// <param name="WorstJudgement">
/// The judgement (i &lt; j) that departs most from <c>w_i/w_j</c> (largest <see cref="AhpJudgement.Departure"/>;
/// the first in row-major order on ties); null only for n = 1, which has no judgement.
/// </param>
public sealed record AhpResult(
    IReadOnlyList<double> Weights,
    double LambdaMax,
    double ConsistencyIndex,
    double RandomIndex,
    double ConsistencyRatio,
    AhpJudgement? WorstJudgement)
{
    /// <summary>True when CR &lt; <see cref="AnalyticHierarchyProcess.ConsistencyThreshold"/> (0.10), Saaty's acceptance rule.</summary>
    public bool IsConsistent => ConsistencyRatio < AnalyticHierarchyProcess.ConsistencyThreshold;
}

/// <summary>
/// Weights from a pairwise comparison matrix by Saaty's eigenvector method, with the consistency
/// check (MODEL §6, seed 000 §3.3-1).
/// </summary>
public static class AnalyticHierarchyProcess
{
    /// <summary>A matrix is acceptably consistent when CR is below this (Saaty: 0.10).</summary>
    public const double ConsistencyThreshold = 0.10;

    /// <summary>Power-iteration steps before falling back to a full eigendecomposition.</summary>
    internal const int MaxPowerIterations = 2000;

    // Weights sum to 1, so an absolute step size bounds the relative error of the larger weights.
    private const double PowerTolerance = 1e-14;

    // Saaty's random indices, n = 1..15 (MODEL §6).
    private static readonly double[] RandomIndices =
        [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];

    private static readonly double[] SaatyScale =
        [1.0 / 9, 1.0 / 8, 1.0 / 7, 1.0 / 6, 1.0 / 5, 1.0 / 4, 1.0 / 3, 1.0 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    /// <summary>Saaty's random index RI(n): the mean CI of random reciprocal matrices of size n.</summary>
    /// <param name="n">The matrix size, 1..<see cref="ModelLimits.MaxAhpSize"/>.</param>
    /// <exception cref="ModelValidationException"><paramref name="n"/> is out of range; the field is <c>n</c>.</exception>
    public static double RandomIndex(int n)
    {
        Guard.InRange(n, "n", 1, ModelLimits.MaxAhpSize);
        return RandomIndices[n - 1];
    }

    /// <summary>
    /// Weights, λmax, CI, CR and the worst judgement of <paramref name="matrix"/>. Never throws for
    /// inconsistency; check <see cref="AhpResult.IsConsistent"/> or use <see cref="ComputeConsistent"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    public static AhpResult Compute(PairwiseComparisonMatrix matrix) => Compute(matrix, MaxPowerIterations);

    /// <summary>
    /// Like <see cref="Compute(PairwiseComparisonMatrix)"/>, but requires CR &lt; 0.10 (MODEL §6:
    /// "otherwise an error that also names the judgement a_ij that most departs from w_i/w_j").
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    /// <exception cref="ModelValidationException">
    /// CR ≥ 0.10. The field is the worst judgement, <c>matrix[i][j]</c> with i &lt; j; the message
    /// gives CR, the implied ratio <c>w_i/w_j</c> and a Saaty-scale value close to it.
    /// </exception>
    public static AhpResult ComputeConsistent(PairwiseComparisonMatrix matrix)
    {
        var result = Compute(matrix);
        if (result.IsConsistent)
        {
            return result;
        }

        // n ≥ 3 here: CR is 0 for n ≤ 2.
        var worst = result.WorstJudgement!;
        throw new ModelValidationException(
            worst.Field,
            $"the judgements are too inconsistent (CR = {Round(result.ConsistencyRatio)}, must be below {Round(ConsistencyThreshold)}); " +
            $"this judgement ({Round(worst.Value)}) departs most from the weights, which imply " +
            $"w_{worst.Row}/w_{worst.Column} = {Round(worst.ImpliedRatio)}: try a value close to {SaatyText(worst.SuggestedValue)} " +
            $"(and its reciprocal in matrix[{worst.Column}][{worst.Row}])");
    }

    /// <summary>The value on Saaty's 1–9 scale or its reciprocals nearest to <paramref name="ratio"/> (in log terms).</summary>
    internal static double NearestSaatyValue(double ratio)
    {
        var best = 1.0;
        var bestDistance = double.PositiveInfinity;
        foreach (var value in SaatyScale)
        {
            var distance = Math.Abs(Math.Log(ratio / value));
            if (distance < bestDistance)
            {
                best = value;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>The computation, with the power-iteration budget exposed so tests can force the fallback.</summary>
    internal static AhpResult Compute(PairwiseComparisonMatrix matrix, int maxPowerIterations)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var n = matrix.Size;
        var a = matrix.Entries;
        var weights = PowerIteration(a, n, maxPowerIterations) ?? Eigendecomposition(a, n);

        // λmax from A·w with Σw = 1: Σ_i (A w)_i = λ Σ_i w_i = λ.
        var lambda = 0.0;
        for (var i = 0; i < n; i++)
        {
            var row = a.Slice(i * n, n);
            for (var j = 0; j < n; j++)
            {
                lambda += row[j] * weights[j];
            }
        }

        // Saaty: λmax ≥ n for every positive reciprocal matrix; clamp the last-bit rounding of consistent ones.
        lambda = Math.Max(lambda, n);
        var ci = n <= 2 ? 0 : (lambda - n) / (n - 1);
        var ri = RandomIndices[n - 1];
        var cr = ri > 0 ? ci / ri : 0;
        return new AhpResult(Array.AsReadOnly(weights), lambda, ci, ri, cr, WorstJudgement(a, n, weights));
    }

    /// <summary>
    /// Power iteration from the row geometric means (exact for n ≤ 3 and for consistent matrices,
    /// a close start otherwise). A positive matrix has a simple dominant eigenvalue, so it
    /// converges; null if it has not within the budget.
    /// </summary>
    private static double[]? PowerIteration(ReadOnlySpan<double> a, int n, int maxIterations)
    {
        var w = new double[n];
        var next = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            // Entries lie in [1e-6, 1e6], so a product of ≤ 15 of them cannot overflow or underflow.
            var product = 1.0;
            foreach (var x in a.Slice(i * n, n))
            {
                product *= x;
            }

            w[i] = Math.Pow(product, 1.0 / n);
            sum += w[i];
        }

        for (var i = 0; i < n; i++)
        {
            w[i] /= sum;
        }

        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            sum = 0;
            for (var i = 0; i < n; i++)
            {
                var row = a.Slice(i * n, n);
                var y = 0.0;
                for (var j = 0; j < n; j++)
                {
                    y += row[j] * w[j];
                }

                next[i] = y;
                sum += y;
            }

            var step = 0.0;
            for (var i = 0; i < n; i++)
            {
                next[i] /= sum;
                step = Math.Max(step, Math.Abs(next[i] - w[i]));
            }

            (w, next) = (next, w);
            if (step <= PowerTolerance)
            {
                return w;
            }
        }

        return null;
    }

    /// <summary>The Perron vector from a full (nonsymmetric) eigendecomposition: slow but unconditional.</summary>
    private static double[] Eigendecomposition(ReadOnlySpan<double> a, int n)
    {
        var entries = a.ToArray();
        var evd = Matrix<double>.Build.Dense(n, n, (i, j) => entries[(i * n) + j]).Evd(Symmetricity.Asymmetric);

        // The Perron root is real and has the largest real part of all eigenvalues.
        var best = 0;
        for (var k = 1; k < n; k++)
        {
            if (evd.EigenValues[k].Real > evd.EigenValues[best].Real)
            {
                best = k;
            }
        }

        var vector = evd.EigenVectors.Column(best).ToArray();
        var sum = vector.Sum();
        return [.. vector.Select(x => x / sum)];
    }

    private static AhpJudgement? WorstJudgement(ReadOnlySpan<double> a, int n, double[] w)
    {
        if (n < 2)
        {
            return null;
        }

        var (row, column, departure) = (0, 1, -1.0);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var d = Math.Abs(Math.Log(a[(i * n) + j] * w[j] / w[i]));
                if (d > departure)
                {
                    (row, column, departure) = (i, j, d);
                }
            }
        }

        return new AhpJudgement(row, column, a[(row * n) + column], w[row] / w[column], departure);
    }

    private static string Round(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string SaatyText(double value) =>
        value >= 1 ? Round(value) : "1/" + Round(1 / value);
}
