
namespace NegotiationHub.Server.Agreements;

/// <summary>
/// <c>POST /api/sessions/{id}/contract/revisions</c>: revise the intangible shares toward the
/// optimum under a period's strengths (MODEL §5) — by partial adjustment, or by checking a
/// proposed revision.
/// </summary>
public sealed record ContractRevisionRequest
{
    /// <summary>Required: the revision the caller is revising from. A stale number is a 409 (optimistic concurrency).</summary>
    public int? ExpectedRevision { get; init; }

    /// <summary>The strength period whose optimum s* the revision moves toward; default the session's current period.</summary>
    public int? Period { get; init; }

    /// <summary>Partial-adjustment λ ∈ (0, 1] for <c>s' = s + λ(s* − s)</c>; default the session's revision λ. Not with <see cref="ProposedShares"/>.</summary>
    public double? Lambda { get; init; }

    /// <summary>A revision s' to check instead: every share must lie between the current one and the optimum.</summary>
    public IReadOnlyList<double>? ProposedShares { get; init; }
}
