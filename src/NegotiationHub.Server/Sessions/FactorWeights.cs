using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Server.Sessions;

/// <summary>Factor weights from an AHP matrix (MODEL §6), for session configuration.</summary>
public static class FactorWeights
{
    /// <summary>
    /// The principal-eigenvector weights of a consistent (CR &lt; 0.10) m×m matrix. An inconsistent
    /// matrix is rejected naming the judgement <c>factorMatrix[i][j]</c> that departs most from w_i/w_j.
    /// </summary>
    public static double[] FromMatrix(IReadOnlyList<IReadOnlyList<double>> matrix, int factors)
    {
        try
        {
            var parsed = new PairwiseComparisonMatrix(matrix);
            if (parsed.Size != factors)
            {
                throw new ModelValidationException("factorMatrix", $"must be {factors}×{factors}, one row and column per factor");
            }

            return [.. AnalyticHierarchyProcess.ComputeConsistent(parsed).Weights];
        }
        catch (ModelValidationException exception)
        {
            // The model names its input "matrix"; here the field is the request's "factorMatrix".
            throw new ModelValidationException(exception.Errors
                .Select(e => e with { Field = e.Field.StartsWith("matrix", StringComparison.Ordinal) ? "factor" + char.ToUpperInvariant(e.Field[0]) + e.Field[1..] : e.Field })
                .ToArray());
        }
    }
}
