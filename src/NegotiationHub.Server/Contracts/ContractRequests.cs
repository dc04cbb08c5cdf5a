using NegotiationHub.Server.Models;

namespace NegotiationHub.Server.Contracts;

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

/// <summary>MODEL §7(b): costs per party, stage and resource, with contribution degrees given directly or by several experts (GEM).</summary>
public sealed record TangibleCostRequest
{
    /// <summary>C[i][j][o] ≥ 0, indexed [party][stage][resource], one row per party of the session.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? Costs { get; init; }

    /// <summary>P[i][j][o] ≥ 0, the shape of <see cref="Costs"/>; or give <see cref="ExpertScores"/>.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? ContributionDegrees { get; init; }

    /// <summary>
    /// Instead of <see cref="ContributionDegrees"/>: each expert's table of contribution-degree
    /// scores ≥ 0, [expert][party][stage][resource]; MODEL §6's GEM aggregates them into P
    /// (at most 64 cells per table).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>>? ExpertScores { get; init; }

    /// <summary>r in [0, 1]: stage j (1-based) of m counts (1 + r)^(m + 1 − j).</summary>
    public double? Rate { get; init; }
}

/// <summary>
/// MODEL §7(c): the market, technical and cooperation risks per party and stage — given directly,
/// or as scores of the risk template's indicators (seed 000 table 3) weighted by AHP.
/// </summary>
public sealed record TangibleRiskRequest
{
    /// <summary>Ra[i][j] in [0, 1), [party][stage].</summary>
    public IReadOnlyList<IReadOnlyList<double>>? MarketRisks { get; init; }

    /// <summary>Rb[i][j] in [0, 1), the same shape.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? TechnicalRisks { get; init; }

    /// <summary>Rc[i][j] in [0, 1), the same shape.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? CooperationRisks { get; init; }

    /// <summary>
    /// Instead of the three tables: for every indicator id of the risk template
    /// (<c>GET /api/models/templates</c>, tree <c>risks</c>), its scores in [0, 1), [party][stage].
    /// A criterion's risk is the AHP-weighted score of its indicators.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>>? IndicatorScores { get; init; }

    /// <summary>
    /// With <see cref="IndicatorScores"/>: per criterion id (<c>market</c>, <c>technical</c>,
    /// <c>cooperation</c>), an AHP matrix comparing its indicators in template order (CR &lt; 0.10);
    /// a criterion left out weighs its indicators equally.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>>? IndicatorMatrices { get; init; }
}

/// <summary>MODEL §7(d): λ_cost, λ_risk, λ_effort (≥ 0, summing to 1), or a consistent 3×3 AHP matrix (order cost, risk, effort).</summary>
public sealed record TangibleWeightsRequest
{
    public double? LambdaCost { get; init; }

    public double? LambdaRisk { get; init; }

    public double? LambdaEffort { get; init; }

    public IReadOnlyList<IReadOnlyList<double>>? Matrix { get; init; }
}
