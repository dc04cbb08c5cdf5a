
namespace NegotiationHub.Server.Calculators;

/// <summary>MODEL §4 input: a problem and one demand per party.</summary>
public sealed record RoundRequest : BargainingProblemRequest
{
    /// <summary>Demands D_i with d_i ≤ D_i ≤ K.</summary>
    public IReadOnlyList<double>? Demands { get; init; }

    /// <summary>Auto-concession fraction λ ∈ (0, 1]; default 0.5.</summary>
    public double? Lambda { get; init; }
}
