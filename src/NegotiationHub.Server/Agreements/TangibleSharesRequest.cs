using NegotiationHub.Server.Calculators;

namespace NegotiationHub.Server.Agreements;

/// <summary>
/// <c>PUT /api/sessions/{id}/contract/tangible</c>: the tangible shares of MODEL §7 in one
/// request — cost-based ω (§7b), risk-based v (§7c) and effort-game t* (§7a), combined with the
/// coordinator's λ (§7d). A block may be omitted only when its λ is 0.
/// </summary>
public sealed record TangibleSharesRequest
{
    /// <summary>Required: the revision the caller is revising from (setting tangible shares makes a revision too).</summary>
    public int? ExpectedRevision { get; init; }

    /// <summary>MODEL §7(b) inputs.</summary>
    public TangibleCostRequest? Cost { get; init; }

    /// <summary>MODEL §7(c) inputs.</summary>
    public TangibleRiskRequest? Risk { get; init; }

    /// <summary>MODEL §7(a) inputs (<c>shares</c> is not used: the pipeline takes the optimum t*).</summary>
    public EffortGameRequest? Effort { get; init; }

    /// <summary>MODEL §7(d)'s λ: the three λ, or a 3×3 AHP matrix; omitted means equal thirds.</summary>
    public TangibleWeightsRequest? Weights { get; init; }
}
