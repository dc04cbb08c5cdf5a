
namespace NegotiationHub.Server.Calculators;

/// <summary>
/// MODEL §6 input: a pairwise comparison matrix and, optionally, one matrix per criterion
/// comparing that criterion's indicators (a two-level hierarchy).
/// </summary>
public sealed record AhpRequest
{
    /// <summary>A (n×n, n ≤ 15): positive, reciprocal, a_ii = 1, Saaty's 1–9 scale.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Matrix { get; init; }

    /// <summary>Optional: for each criterion of <see cref="Matrix"/>, the comparison matrix of its indicators.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? IndicatorMatrices { get; init; }
}
