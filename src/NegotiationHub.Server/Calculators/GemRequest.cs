
namespace NegotiationHub.Server.Calculators;

/// <summary>MODEL §6 GEM input: k experts (rows) score n items (columns).</summary>
public sealed record GemRequest
{
    /// <summary>Scores X[e][j] ≥ 0, every row the same length, every expert at least one positive score.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Scores { get; init; }
}
