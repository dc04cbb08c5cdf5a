using System.Text.Json.Serialization;

namespace NegotiationHub.Server.Contracts;

/// <summary>What made a revision of a contract.</summary>
public enum ContractRevisionKind
{
    /// <summary>Revision 0: the agreement of a round.</summary>
    Agreement,

    /// <summary>The intangible shares moved toward the optimum of a period (MODEL §5).</summary>
    Revision,

    /// <summary>The tangible shares were set (MODEL §7).</summary>
    Tangible,
}

/// <summary>One revision of a contract, as kept forever: the contract's full state after it.</summary>
/// <param name="Number">0 for the agreement, then 1, 2, …</param>
/// <param name="Kind">agreement, revision or tangible.</param>
/// <param name="Period">The strength period behind <paramref name="OptimalShares"/>.</param>
/// <param name="Shares">s_i after this revision.</param>
/// <param name="TangibleShares">The tangible shares after this revision, once set.</param>
/// <param name="OptimalShares">s*, the NBS shares under the period's strengths.</param>
/// <param name="Powers">h_i behind s*.</param>
/// <param name="Strengths">I[i][p] behind h (parties × factors).</param>
/// <param name="Lambda">λ of a partial adjustment; null for the agreement, a checked proposal or tangible shares.</param>
/// <param name="CreatedUtc">When it took effect (server clock).</param>
/// <param name="CreatedBy">The coordinator's user name; null for the agreement.</param>
public sealed record ContractRevisionView(
    int Number,
    ContractRevisionKind Kind,
    int Period,
    IReadOnlyList<double> Shares,
    IReadOnlyList<double>? TangibleShares,
    IReadOnlyList<double> OptimalShares,
    IReadOnlyList<double> Powers,
    IReadOnlyList<IReadOnlyList<double>>? Strengths,
    double? Lambda,
    DateTimeOffset CreatedUtc,
    string? CreatedBy);

/// <summary>A session's contract: the shares in force and every revision.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="SessionId">Its session.</param>
/// <param name="AgreementRound">The round whose agreement made it.</param>
/// <param name="Revision">The revision in force — what a reviser passes as <c>expectedRevision</c>.</param>
/// <param name="Period">The strength period of the revision in force.</param>
/// <param name="Shares">s_i, the intangible shares (sum 1).</param>
/// <param name="Allocation">s_i · K.</param>
/// <param name="OptimalShares">s* of the revision in force.</param>
/// <param name="TangibleShares">The tangible shares (MODEL §7d), once set.</param>
/// <param name="TangiblePayouts">Tangible share · N, once set.</param>
/// <param name="Pool">K.</param>
/// <param name="TangiblePool">N.</param>
/// <param name="Revisions">Every revision, oldest first.</param>
public sealed record ContractDetails(
    Guid ContractId,
    Guid SessionId,
    int AgreementRound,
    int Revision,
    int Period,
    IReadOnlyList<double> Shares,
    IReadOnlyList<double> Allocation,
    IReadOnlyList<double> OptimalShares,
    IReadOnlyList<double>? TangibleShares,
    IReadOnlyList<double>? TangiblePayouts,
    double Pool,
    double TangiblePool,
    IReadOnlyList<ContractRevisionView> Revisions);

/// <summary>MODEL §7(b) as computed for the contract.</summary>
/// <param name="ContributionDegrees">P[i][j][o] used: as given, or the experts' GEM group vector reshaped (summing to 1 over all cells).</param>
/// <param name="ExpertAgreement">GEM agreement λ1/trace(XᵀX) when the degrees came from experts.</param>
/// <param name="Values">value_i = Σ_j Σ_o C_ijo (1 + r)^(m + 1 − j) P_ijo.</param>
/// <param name="Shares">ω_i.</param>
public sealed record CostSharesView(
    IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>> ContributionDegrees,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ExpertAgreement,
    IReadOnlyList<double> Values,
    IReadOnlyList<double> Shares);

/// <summary>MODEL §7(c) as computed for the contract.</summary>
/// <param name="IndicatorWeights">With indicator scores: per criterion id, its indicators' local AHP weights in template order.</param>
/// <param name="MarketRisks">Ra[i][j] used.</param>
/// <param name="TechnicalRisks">Rb[i][j] used.</param>
/// <param name="CooperationRisks">Rc[i][j] used.</param>
/// <param name="Risks">R_ij = 1 − (1 − Ra)(1 − Rb)(1 − Rc).</param>
/// <param name="StageShares">R_ij / Σ_i R_ij.</param>
/// <param name="Shares">v_i.</param>
public sealed record RiskSharesView(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<double>>? IndicatorWeights,
    IReadOnlyList<IReadOnlyList<double>> MarketRisks,
    IReadOnlyList<IReadOnlyList<double>> TechnicalRisks,
    IReadOnlyList<IReadOnlyList<double>> CooperationRisks,
    IReadOnlyList<IReadOnlyList<double>> Risks,
    IReadOnlyList<IReadOnlyList<double>> StageShares,
    IReadOnlyList<double> Shares);

/// <summary>MODEL §7(a) as computed for the contract.</summary>
/// <param name="EffortWeights">w_i = d_i²/b_i.</param>
/// <param name="Shares">t*, maximizing the total value V.</param>
/// <param name="TotalValue">V at t*.</param>
/// <param name="RelativeKktResidual">The optimum's certificate (rounding only).</param>
public sealed record EffortSharesView(IReadOnlyList<double> EffortWeights, IReadOnlyList<double> Shares, double TotalValue, double RelativeKktResidual);

/// <summary>The tangible shares of MODEL §7 and how they were made; a block is null when its λ was 0 and it was left out.</summary>
/// <param name="Cost">ω (§7b).</param>
/// <param name="Risk">v (§7c).</param>
/// <param name="Effort">t* (§7a).</param>
/// <param name="LambdaCost">λ_cost.</param>
/// <param name="LambdaRisk">λ_risk.</param>
/// <param name="LambdaEffort">λ_effort.</param>
/// <param name="Shares">λ_cost·ω + λ_risk·v + λ_effort·t* (§7d), summing to 1.</param>
/// <param name="Payouts">Shares · N.</param>
public sealed record TangibleSharesView(
    CostSharesView? Cost,
    RiskSharesView? Risk,
    EffortSharesView? Effort,
    double LambdaCost,
    double LambdaRisk,
    double LambdaEffort,
    IReadOnlyList<double> Shares,
    IReadOnlyList<double> Payouts);

/// <summary>The answer to setting the tangible shares: the revised contract and the computation.</summary>
public sealed record TangibleSharesResponse(ContractDetails Contract, TangibleSharesView Tangible);
