using MathNet.Numerics.LinearAlgebra;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Ahp;

/// <summary>
/// The expert score matrix X of the group eigenvalue method (MODEL §6): k experts (rows) score
/// n items (columns). Validated on construction.
/// </summary>
public sealed class ExpertScores
{
    private readonly double[][] _scores;

    /// <summary>Creates and validates the scores.</summary>
    /// <param name="scores">
    /// k = 1..<see cref="ModelLimits.MaxExperts"/> rows of n = 1..<see cref="ModelLimits.MaxItems"/>
    /// scores each (every row the same length); every score finite and ≥ 0; every expert gives at
    /// least one positive score.
    /// </param>
    /// <exception cref="ModelValidationException">
    /// Fields <c>scores</c> (missing, wrong count), <c>scores[e]</c> (wrong length, or all zero),
    /// <c>scores[e][j]</c> (not finite or negative).
    /// </exception>
    public ExpertScores(IReadOnlyList<IReadOnlyList<double>>? scores)
    {
        var rows = Guard.Count(scores, "scores", 1, ModelLimits.MaxExperts);
        _scores = new double[rows.Length][];
        for (var e = 0; e < rows.Length; e++)
        {
            var field = $"scores[{e}]";
            var row = e == 0
                ? Guard.Count(rows[e], field, 1, ModelLimits.MaxItems)
                : Guard.Length(rows[e], field, _scores[0].Length, "item");
            _scores[e] = Guard.AllNonNegative(row, field);
            if (_scores[e].All(x => x == 0))
            {
                // An all-zero row adds nothing to XᵀX; it is almost certainly a form left blank.
                throw new ModelValidationException(field, "must give at least one item a positive score (every score is 0)");
            }
        }
    }

    /// <summary>k, the number of experts.</summary>
    public int Experts => _scores.Length;

    /// <summary>n, the number of items.</summary>
    public int Items => _scores[0].Length;

    /// <summary>The score <c>x_ej</c> that expert <paramref name="expert"/> gives item <paramref name="item"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">An index is out of range.</exception>
    public double Score(int expert, int item) => _scores[expert][item];
}

/// <summary>The group result of the eigenvalue method.</summary>
/// <param name="Weights">The group score vector: the principal eigenvector of XᵀX, each ≥ 0, summing to 1.</param>
/// <param name="Agreement">
/// λ1 / trace(XᵀX) in (0, 1]: the share of the experts' total squared score that the group vector
/// explains. 1 exactly when all experts' rows are proportional (they agree); lower means more dissent.
/// </param>
public sealed record GroupScores(IReadOnlyList<double> Weights, double Agreement);

/// <summary>
/// The group eigenvalue method (GEM, MODEL §6): aggregates several experts' scores into one
/// group vector, the principal eigenvector of XᵀX. Unlike a plain mean it leans toward the
/// consensus direction of the experts rather than toward whoever uses the largest numbers.
/// </summary>
public static class GroupEigenvalueMethod
{
    // Eigenvalues within this relative distance of λ1 are treated as one (numerically tied) eigenvalue.
    private const double TieTolerance = 1e-10;

    /// <summary>Computes the group score vector.</summary>
    /// <remarks>
    /// XᵀX is symmetric with non-negative entries, so its principal eigenvector can be taken
    /// non-negative (Perron–Frobenius). When λ1 is repeated (e.g. experts who each score a
    /// different single item) the eigenvector is not unique; the result is then the one power
    /// iteration from the column sums would reach: the projection of the column sums onto the
    /// principal eigenspace — for disjoint experts, each item in proportion to its score.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="scores"/> is null.</exception>
    public static GroupScores Aggregate(ExpertScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var k = scores.Experts;
        var n = scores.Items;

        // The eigenvector does not depend on the scale of X; dividing by the largest score keeps
        // every product of XᵀX far from overflow whatever units the experts used.
        var max = 0.0;
        for (var e = 0; e < k; e++)
        {
            for (var j = 0; j < n; j++)
            {
                max = Math.Max(max, scores.Score(e, j));
            }
        }

        var x = Matrix<double>.Build.Dense(k, n, (e, j) => scores.Score(e, j) / max);
        var gram = x.TransposeThisAndMultiply(x);
        var evd = gram.Evd(Symmetricity.Symmetric);
        var lambda = evd.EigenValues.Select(v => v.Real).ToArray();
        var lambda1 = lambda.Max();

        // Start vector = column sums (power iteration's natural start); project it onto the
        // principal eigenspace. For a simple λ1 this is the Perron vector, scaled positively.
        var start = x.ColumnSums();
        var group = Vector<double>.Build.Dense(n);
        for (var m = 0; m < n; m++)
        {
            if (lambda[m] >= lambda1 * (1 - TieTolerance))
            {
                var u = evd.EigenVectors.Column(m);
                group += u * u.DotProduct(start);
            }
        }

        // Exact arithmetic gives a non-negative vector; clear the rounding residue of zero entries.
        var weights = group.Select(v => Math.Max(v, 0)).ToArray();
        var sum = weights.Sum();
        for (var j = 0; j < n; j++)
        {
            weights[j] /= sum;
        }

        var agreement = Math.Min(1, lambda1 / gram.Trace());
        return new GroupScores(Array.AsReadOnly(weights), agreement);
    }
}
