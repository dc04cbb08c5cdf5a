using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Sessions;

/// <summary>Factor weights from an AHP matrix (MODEL §6), for session configuration.</summary>
public static class FactorWeights
{
    /// <summary>
    /// The principal-eigenvector weights of a consistent (CR &lt; 0.10) m×m matrix. An inconsistent
    /// matrix is rejected naming the judgement <c>factorMatrix[i][j]</c> that departs most from w_i/w_j.
    /// </summary>
    public static double[] FromMatrix(IReadOnlyList<IReadOnlyList<double>> matrix, int factors) =>
        FieldPaths.Renamed("matrix", "factorMatrix", () =>
        {
            var parsed = new PairwiseComparisonMatrix(matrix);
            if (parsed.Size != factors)
            {
                throw new ModelValidationException("matrix", $"must be {factors}×{factors}, one row and column per factor");
            }

            return AnalyticHierarchyProcess.ComputeConsistent(parsed).Weights.ToArray();
        });
}
