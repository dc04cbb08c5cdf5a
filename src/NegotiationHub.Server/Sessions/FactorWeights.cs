using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Server.Sessions;

/// <summary>Factor weights from an AHP matrix (MODEL §6), for session configuration.</summary>
public static class FactorWeights
{
    /// <summary>The principal-eigenvector weights of a consistent (CR &lt; 0.10) m×m matrix.</summary>
    public static double[] FromMatrix(IReadOnlyList<IReadOnlyList<double>> matrix, int factors)
    {
        // TODO(merge h-alloc): replace with the AHP model once it lands.
        throw new ModelValidationException("factorMatrix", $"AHP matrices are not accepted yet ({factors} factors)");
    }
}
