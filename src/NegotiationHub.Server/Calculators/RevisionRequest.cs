
namespace NegotiationHub.Server.Calculators;

/// <summary>
/// MODEL §5 input: the current shares and the optimum — given directly, or as the bargaining
/// problem under the new strengths — and either a proposed revision to check or λ to propose one.
/// </summary>
public sealed record RevisionRequest
{
    /// <summary>The contract's current shares s (summing to 1).</summary>
    public IReadOnlyList<double>? CurrentShares { get; init; }

    /// <summary>The optimum s*; or omit and give <see cref="Problem"/>.</summary>
    public IReadOnlyList<double>? OptimalShares { get; init; }

    /// <summary>The bargaining problem under the new strengths, whose NBS shares are the optimum.</summary>
    public BargainingProblemRequest? Problem { get; init; }

    /// <summary>A proposed revision s' to check; or omit to propose s + λ(s* − s).</summary>
    public IReadOnlyList<double>? ProposedShares { get; init; }

    /// <summary>Partial-adjustment fraction λ ∈ (0, 1]; default 0.5.</summary>
    public double? Lambda { get; init; }

    /// <summary>How many periods of repeated partial adjustment to return as a path (0..100, default 10).</summary>
    public int? Periods { get; init; }
}
