using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Sessions;

/// <summary>
/// Creates or reconfigures a session. With <c>template: "3+1"</c> the parties and factors default
/// to the coordination body's four parties and MODEL §1's five factors.
/// </summary>
public sealed record SessionSetupRequest
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary><c>3+1</c>, or omitted for a custom set of 2..16 parties.</summary>
    public string? Template { get; init; }

    public IReadOnlyList<PartyRequest>? Parties { get; init; }

    public IReadOnlyList<FactorRequest>? Factors { get; init; }

    /// <summary>An AHP pairwise matrix over the factors; its eigenvector gives the weights (CR &lt; 0.10 required).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? FactorMatrix { get; init; }

    /// <summary>Strengths I[i][p] &gt; 0 for period 0; omitted means equal strengths.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Strengths { get; init; }

    /// <summary>The intangible pool K &gt; 0.</summary>
    public double? Pool { get; init; }

    /// <summary>The tangible pool N ≥ 0.</summary>
    public double? TangiblePool { get; init; }

    public BidMode? BidMode { get; init; }

    /// <summary>Default round length, 10..86400 s (default 120).</summary>
    public int? RoundDeadlineSeconds { get; init; }

    /// <summary>λ ∈ (0, 1] for auto-concession of late parties (default 0.5).</summary>
    public double? AutoConcessionLambda { get; init; }

    /// <summary>λ ∈ (0, 1] for partial-adjustment revisions (default 0.5).</summary>
    public double? RevisionLambda { get; init; }
}
