using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Ahp;

/// <summary>
/// A positive reciprocal pairwise comparison matrix A of MODEL §6: <c>a_ij</c> says how many
/// times more important item i is than item j (Saaty's 1–9 scale and reciprocals), with
/// <c>a_ii = 1</c> and <c>a_ji = 1/a_ij</c>. Validated on construction; an instance always
/// satisfies every rule below.
/// </summary>
/// <remarks>
/// Error fields are the JSON paths of the <c>matrix</c> property: <c>matrix</c> (missing or
/// wrong size), <c>matrix[i]</c> (a row of the wrong length), <c>matrix[i][j]</c> (a bad entry).
/// The upper triangle is authoritative: after validation each <c>a_ji</c> (i &lt; j) is stored
/// as exactly <c>1/a_ij</c> and each diagonal entry as exactly 1, so rounding in a client's
/// reciprocals (within <see cref="ReciprocalTolerance"/>) does not leak into the weights.
/// </remarks>
public sealed class PairwiseComparisonMatrix
{
    /// <summary>
    /// Largest accepted judgement (and, by reciprocity, 1/this is the smallest). Saaty's scale
    /// stops at 9; derived matrices (e.g. <see cref="FromWeights"/>) may go further, and the bound
    /// keeps every product in the eigenvector computation far from overflow.
    /// </summary>
    public const double MaxJudgement = 1e6;

    /// <summary>Relative tolerance for <c>a_ii = 1</c> and <c>a_ij · a_ji = 1</c>.</summary>
    public const double ReciprocalTolerance = 1e-6;

    // Row-major n×n, so the power iteration walks one contiguous array.
    private readonly double[] _entries;

    /// <summary>Creates and validates the matrix.</summary>
    /// <param name="matrix">
    /// The rows of A: n = 1..<see cref="ModelLimits.MaxAhpSize"/> rows of n entries each, every entry
    /// finite and in [1/<see cref="MaxJudgement"/>, <see cref="MaxJudgement"/>], <c>a_ii = 1</c>,
    /// <c>a_ji = 1/a_ij</c> (both within <see cref="ReciprocalTolerance"/>, relative).
    /// </param>
    /// <exception cref="ModelValidationException">
    /// A rule is broken. The first offending field in row-major order is named: <c>matrix</c>,
    /// <c>matrix[i]</c>, or <c>matrix[i][j]</c> (a non-reciprocal pair names the lower entry
    /// <c>matrix[j][i]</c>, j &gt; i, with the message "must equal 1/matrix[i][j] …").
    /// </exception>
    public PairwiseComparisonMatrix(IReadOnlyList<IReadOnlyList<double>>? matrix)
    {
        var rows = Guard.Count(matrix, "matrix", 1, ModelLimits.MaxAhpSize);
        var n = rows.Length;
        var entries = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            var row = Guard.Length(rows[i], $"matrix[{i}]", n, "row of the square matrix");
            for (var j = 0; j < n; j++)
            {
                var field = $"matrix[{i}][{j}]";
                var value = Guard.Positive(row[j], field);
                Guard.InRange(value, field, 1 / MaxJudgement, MaxJudgement);
                if (i == j)
                {
                    if (Math.Abs(value - 1) > ReciprocalTolerance)
                    {
                        throw new ModelValidationException(field, "must equal 1 (an item is exactly as important as itself)");
                    }

                    value = 1;
                }
                else if (i > j)
                {
                    // MODEL §6: a_ji = 1/a_ij. Row j < i was validated already.
                    var upper = entries[(j * n) + i];
                    if (Math.Abs((value * upper) - 1) > ReciprocalTolerance)
                    {
                        throw new ModelValidationException(
                            field,
                            $"must equal 1/matrix[{j}][{i}] = {Guard.Format(1 / upper)} (the matrix is reciprocal), is {Guard.Format(value)}");
                    }

                    value = 1 / upper;
                }

                entries[(i * n) + j] = value;
            }
        }

        Size = n;
        _entries = entries;
    }

    private PairwiseComparisonMatrix(int size, double[] entries)
    {
        Size = size;
        _entries = entries;
    }

    /// <summary>The number of items compared, n (1..<see cref="ModelLimits.MaxAhpSize"/>).</summary>
    public int Size { get; }

    /// <summary>The judgement <c>a_ij</c>: how many times more important item <paramref name="row"/> is than item <paramref name="column"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">An index is outside 0..n−1.</exception>
    public double this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Size || (uint)column >= (uint)Size)
            {
                throw new IndexOutOfRangeException($"The matrix is {Size}×{Size}.");
            }

            return _entries[(row * Size) + column];
        }
    }

    /// <summary>
    /// The perfectly consistent matrix of a weight vector: <c>a_ij = w_i / w_j</c>. Its principal
    /// eigenvector is w (normalized), λmax = n and CI = 0.
    /// </summary>
    /// <param name="weights">n = 1..<see cref="ModelLimits.MaxAhpSize"/> weights, each finite and &gt; 0 (need not sum to 1).</param>
    /// <exception cref="ModelValidationException">
    /// Field <c>weights</c> (missing, wrong count, or max/min ratio above <see cref="MaxJudgement"/>)
    /// or <c>weights[i]</c> (not finite or ≤ 0).
    /// </exception>
    public static PairwiseComparisonMatrix FromWeights(IReadOnlyList<double>? weights)
    {
        var w = Guard.AllPositive(Guard.Count(weights, "weights", 1, ModelLimits.MaxAhpSize), "weights");
        if (w.Max() / w.Min() > MaxJudgement)
        {
            throw new ModelValidationException("weights", $"the largest weight may be at most {Guard.Format(MaxJudgement)} times the smallest");
        }

        var n = w.Length;
        var entries = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            entries[(i * n) + i] = 1;
            for (var j = i + 1; j < n; j++)
            {
                // Same invariant as the constructor: the lower triangle is the exact reciprocal.
                entries[(i * n) + j] = w[i] / w[j];
                entries[(j * n) + i] = 1 / entries[(i * n) + j];
            }
        }

        return new PairwiseComparisonMatrix(n, entries);
    }

    /// <summary>A copy of the rows, e.g. to echo the validated matrix back to a client.</summary>
    public double[][] ToRows()
    {
        var rows = new double[Size][];
        for (var i = 0; i < Size; i++)
        {
            rows[i] = _entries.AsSpan(i * Size, Size).ToArray();
        }

        return rows;
    }

    /// <summary>The row-major entries, for the eigenvector computation (never handed out).</summary>
    internal ReadOnlySpan<double> Entries => _entries;
}
