using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Allocation;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Models;

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

/// <summary>MODEL §6 GEM input: k experts (rows) score n items (columns).</summary>
public sealed record GemRequest
{
    /// <summary>Scores X[e][j] ≥ 0, every row the same length, every expert at least one positive score.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Scores { get; init; }
}

/// <summary>MODEL §7(a) input: the two-stage effort game, and optionally shares to evaluate.</summary>
public sealed record EffortGameRequest
{
    /// <summary>d_i &gt; 0, one per party (2..16).</summary>
    public IReadOnlyList<double>? Contributions { get; init; }

    /// <summary>b_i &gt; 0 with w_i = d_i²/b_i &lt; 1.</summary>
    public IReadOnlyList<double>? CostCoefficients { get; init; }

    /// <summary>C0_i ≥ 0; omitted means all 0.</summary>
    public IReadOnlyList<double>? FixedCosts { get; init; }

    /// <summary>P0 ≥ 0; omitted means 0.</summary>
    public double? BaseOutput { get; init; }

    /// <summary>Optional shares t (≥ 0, summing to 1) at which to evaluate stage 2 besides the optimum.</summary>
    public IReadOnlyList<double>? Shares { get; init; }
}

/// <summary>MODEL §7(b) input: costs and contribution degrees per party, stage and resource.</summary>
public sealed record CostAllocationRequest
{
    /// <summary>C[i][j][o] ≥ 0, indexed [party][stage][resource].</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? Costs { get; init; }

    /// <summary>P[i][j][o] ≥ 0, the same shape as <see cref="Costs"/>.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>? ContributionDegrees { get; init; }

    /// <summary>r in [0, 1]: the per-stage rate; stage j (1-based) counts (1 + r)^(m + 1 − j).</summary>
    public double? Rate { get; init; }

    /// <summary>N ≥ 0: the tangible benefit to split.</summary>
    public double? Pool { get; init; }
}

/// <summary>MODEL §7(c) input, with an optional §7(d) combination.</summary>
public sealed record RiskAllocationRequest
{
    /// <summary>Ra[i][j] in [0, 1), indexed [party][stage].</summary>
    public IReadOnlyList<IReadOnlyList<double>>? MarketRisks { get; init; }

    /// <summary>Rb[i][j] in [0, 1), the same shape.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? TechnicalRisks { get; init; }

    /// <summary>Rc[i][j] in [0, 1), the same shape.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? CooperationRisks { get; init; }

    /// <summary>Optional MODEL §7(d): combine the risk-based shares computed here with cost and effort shares.</summary>
    public CombineRequest? Combine { get; init; }
}

/// <summary>
/// MODEL §7(d): the cost-based shares ω and effort-game shares t* to combine with the risk-based
/// shares v, and the coordinator's λ — given directly, or by a consistent 3×3 AHP matrix
/// (order cost, risk, effort), or omitted for equal thirds.
/// </summary>
public sealed record CombineRequest
{
    /// <summary>ω, one per party, ≥ 0, summing to 1 (the <c>shares</c> of <c>cost-allocation</c>).</summary>
    public IReadOnlyList<double>? CostShares { get; init; }

    /// <summary>t*, one per party, ≥ 0, summing to 1 (<c>optimum.shares</c> of <c>effort-game</c>).</summary>
    public IReadOnlyList<double>? EffortShares { get; init; }

    /// <summary>λ_cost ≥ 0.</summary>
    public double? LambdaCost { get; init; }

    /// <summary>λ_risk ≥ 0.</summary>
    public double? LambdaRisk { get; init; }

    /// <summary>λ_effort ≥ 0; the three sum to 1.</summary>
    public double? LambdaEffort { get; init; }

    /// <summary>Instead of the λ: a 3×3 AHP matrix comparing cost, risk and effort; must be consistent (CR &lt; 0.10).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Matrix { get; init; }
}

/// <summary>The judgement that departs most from the weights (ADR 0001), with its JSON path.</summary>
/// <param name="Row">i (0-based).</param>
/// <param name="Column">j (0-based), &gt; i.</param>
/// <param name="Field">The JSON path of the judgement, e.g. <c>matrix[0][2]</c>.</param>
/// <param name="Value">a_ij as given.</param>
/// <param name="ImpliedRatio">w_i/w_j, the value the weights imply.</param>
/// <param name="SuggestedValue">The Saaty-scale value nearest to the implied ratio.</param>
/// <param name="Departure">|ln(a_ij · w_j / w_i)|.</param>
public sealed record AhpJudgementView(int Row, int Column, string Field, double Value, double ImpliedRatio, double SuggestedValue, double Departure);

/// <summary>The AHP result of one matrix (MODEL §6).</summary>
public record AhpMatrixResponse
{
    /// <summary>The principal eigenvector, summing to 1.</summary>
    public required IReadOnlyList<double> Weights { get; init; }

    /// <summary>λmax.</summary>
    public required double LambdaMax { get; init; }

    /// <summary>CI = (λmax − n)/(n − 1).</summary>
    public required double Ci { get; init; }

    /// <summary>CR = CI/RI(n).</summary>
    public required double Cr { get; init; }

    /// <summary>Saaty's RI(n).</summary>
    public required double Ri { get; init; }

    /// <summary>CR &lt; 0.10.</summary>
    public required bool Consistent { get; init; }

    /// <summary>The judgement that departs most from the weights; null for n = 1.</summary>
    public required AhpJudgementView? WorstJudgement { get; init; }

    /// <summary>The view of <paramref name="result"/>, whose matrix the client sent as <paramref name="field"/>.</summary>
    public static AhpMatrixResponse From(AhpResult result, string field)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new AhpMatrixResponse
        {
            Weights = result.Weights,
            LambdaMax = result.LambdaMax,
            Ci = result.ConsistencyIndex,
            Cr = result.ConsistencyRatio,
            Ri = result.RandomIndex,
            Consistent = result.IsConsistent,
            WorstJudgement = result.WorstJudgement is { } w
                ? new AhpJudgementView(w.Row, w.Column, $"{field}[{w.Row}][{w.Column}]", w.Value, w.ImpliedRatio, w.SuggestedValue, w.Departure)
                : null,
        };
    }
}

/// <summary>The AHP result of <c>matrix</c>, and of the hierarchy when indicator matrices were given.</summary>
public sealed record AhpResponse : AhpMatrixResponse
{
    /// <summary>The response for <c>matrix</c> alone; the hierarchy is added with <c>with</c>.</summary>
    [SetsRequiredMembers]
    public AhpResponse(AhpMatrixResponse matrix)
        : base(matrix)
    {
    }

    /// <summary>Per criterion, the AHP result of its indicator matrix.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AhpMatrixResponse>? Indicators { get; init; }

    /// <summary>global[c][k] = weights[c] · indicators[c].weights[k]; all sum to 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IReadOnlyList<double>>? GlobalWeights { get; init; }
}

/// <summary>The effort-game optimum t* (MODEL §7a) with its KKT certificate.</summary>
/// <param name="Shares">t*.</param>
/// <param name="Efforts">a_i at t*.</param>
/// <param name="EffortMultiplier">S = 1/(1 − Σ t_j w_j).</param>
/// <param name="Output">P.</param>
/// <param name="Costs">C_i.</param>
/// <param name="Payoffs">V_i = t_i P − C_i.</param>
/// <param name="TotalValue">V = P − Σ C_i, the maximum over the simplex.</param>
/// <param name="Gradient">∂V/∂t_i at t*.</param>
/// <param name="Multiplier">μ = Σ t_i ∂V/∂t_i.</param>
/// <param name="KktResiduals">|∂V/∂t_i − μ| for t_i &gt; 0, max(0, ∂V/∂t_i − μ) for t_i = 0.</param>
/// <param name="RelativeKktResidual">max residual / max gradient (rounding only).</param>
public sealed record EffortOptimumView(
    IReadOnlyList<double> Shares,
    IReadOnlyList<double> Efforts,
    double EffortMultiplier,
    double Output,
    IReadOnlyList<double> Costs,
    IReadOnlyList<double> Payoffs,
    double TotalValue,
    IReadOnlyList<double> Gradient,
    double Multiplier,
    IReadOnlyList<double> KktResiduals,
    double RelativeKktResidual);

/// <summary>The effort game: w_i, the optimum, and the outcome at the requested shares.</summary>
/// <param name="EffortWeights">w_i = d_i²/b_i.</param>
/// <param name="Optimum">The shares maximizing V and the stage-2 outcome there.</param>
/// <param name="AtShares">The stage-2 outcome at the requested <c>shares</c>; absent when none were given.</param>
public sealed record EffortGameResponse(
    IReadOnlyList<double> EffortWeights,
    EffortOptimumView Optimum,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EffortOutcome? AtShares);

/// <summary>The combined tangible shares of MODEL §7(d) and the λ used.</summary>
/// <param name="Shares">λ_cost·ω_i + λ_risk·v_i + λ_effort·t*_i, summing to 1.</param>
/// <param name="LambdaCost">λ_cost.</param>
/// <param name="LambdaRisk">λ_risk.</param>
/// <param name="LambdaEffort">λ_effort.</param>
public sealed record CombinedSharesView(IReadOnlyList<double> Shares, double LambdaCost, double LambdaRisk, double LambdaEffort);

/// <summary>The risk-based shares (MODEL §7c) and, when asked, the combined shares (§7d).</summary>
/// <param name="Risks">R_ij, [party][stage].</param>
/// <param name="StageShares">R_ij / Σ_i R_ij, [party][stage].</param>
/// <param name="Shares">v_i = Σ_j R_ij / Σ_i Σ_j R_ij.</param>
/// <param name="Combined">MODEL §7(d), when <c>combine</c> was given.</param>
public sealed record RiskAllocationResponse(
    IReadOnlyList<IReadOnlyList<double>> Risks,
    IReadOnlyList<IReadOnlyList<double>> StageShares,
    IReadOnlyList<double> Shares,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CombinedSharesView? Combined);

/// <summary>The calculators of MODEL §6–7.</summary>
public static class AllocationCalculators
{
    /// <summary>MODEL §6: weights and consistency; an inconsistent matrix is answered, not rejected (ADR 0001).</summary>
    public static AhpResponse Ahp(AhpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var top = AnalyticHierarchyProcess.Compute(new PairwiseComparisonMatrix(request.Matrix));
        var response = new AhpResponse(AhpMatrixResponse.From(top, "matrix"));
        if (request.IndicatorMatrices is null)
        {
            return response;
        }

        var locals = Guard.Length(request.IndicatorMatrices, "indicatorMatrices", top.Weights.Count, "criterion (row of matrix)");
        var indicators = new AhpMatrixResponse[locals.Length];
        for (var c = 0; c < locals.Length; c++)
        {
            var field = $"indicatorMatrices[{c}]";
            var result = FieldPaths.Renamed("matrix", field, () => AnalyticHierarchyProcess.Compute(new PairwiseComparisonMatrix(locals[c])));
            indicators[c] = AhpMatrixResponse.From(result, field);
        }

        return response with
        {
            Indicators = indicators,
            GlobalWeights = AhpHierarchy.GlobalWeights(top.Weights, [.. indicators.Select(i => i.Weights)]),
        };
    }

    /// <summary>MODEL §6: the group eigenvalue method.</summary>
    public static GroupScores Gem(GemRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return GroupEigenvalueMethod.Aggregate(new ExpertScores(request.Scores));
    }

    /// <summary>MODEL §7(a): the optimal shares and, when given, the outcome at the requested shares.</summary>
    public static EffortGameResponse Effort(EffortGameRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = new EffortGameInput(request.Contributions, request.CostCoefficients, request.FixedCosts, request.BaseOutput ?? 0);
        var atShares = request.Shares is null ? null : EffortGame.Evaluate(input, request.Shares);
        var optimum = EffortGame.Optimize(input);
        var o = optimum.Outcome;
        return new EffortGameResponse(
            input.EffortWeights,
            new EffortOptimumView(
                o.Shares, o.Efforts, o.EffortMultiplier, o.Output, o.Costs, o.Payoffs, o.TotalValue,
                optimum.Gradient, optimum.Multiplier, optimum.KktResiduals, optimum.RelativeKktResidual),
            atShares);
    }

    /// <summary>MODEL §7(b): the cost-based shares and payouts.</summary>
    public static CostBasedAllocationResult CostAllocation(CostAllocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CostBasedAllocation.Compute(new CostBasedAllocationInput(
            request.Costs,
            request.ContributionDegrees,
            RequestRules.Required(request.Rate, "rate"),
            RequestRules.Required(request.Pool, "pool")));
    }

    /// <summary>MODEL §7(c), and §7(d) when <see cref="RiskAllocationRequest.Combine"/> is given.</summary>
    public static RiskAllocationResponse RiskAllocation(RiskAllocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var risk = RiskBasedAllocation.Compute(new RiskBasedAllocationInput(request.MarketRisks, request.TechnicalRisks, request.CooperationRisks));
        var combined = request.Combine is { } combine
            ? FieldPaths.Under("combine", () => Combine(combine, risk.Shares))
            : null;
        return new RiskAllocationResponse(risk.Risks, risk.StageShares, risk.Shares, combined);
    }

    /// <summary>
    /// MODEL §7(d)'s λ as a client gives them: the three λ, or a consistent 3×3 AHP matrix (order
    /// cost, risk, effort), or neither (null: equal thirds). Field names are <c>lambdaCost</c>,
    /// <c>lambdaRisk</c>, <c>lambdaEffort</c> and <c>matrix…</c>, relative to the caller's block.
    /// </summary>
    public static AllocationWeights? Weights(double? lambdaCost, double? lambdaRisk, double? lambdaEffort, IReadOnlyList<IReadOnlyList<double>>? matrix)
    {
        var anyLambda = lambdaCost is not null || lambdaRisk is not null || lambdaEffort is not null;
        if (matrix is not null)
        {
            if (anyLambda)
            {
                throw new ModelValidationException("matrix", "give either lambdaCost, lambdaRisk and lambdaEffort, or a 3×3 AHP matrix, not both");
            }

            var parsed = new PairwiseComparisonMatrix(matrix);
            if (parsed.Size != 3)
            {
                throw new ModelValidationException("matrix", $"must be 3×3 (cost, risk, effort), is {parsed.Size}×{parsed.Size}");
            }

            // ADR 0001: a place that uses AHP weights requires a consistent matrix.
            return AllocationWeights.FromAhp(AnalyticHierarchyProcess.ComputeConsistent(parsed));
        }

        return anyLambda
            ? new AllocationWeights(
                RequestRules.Required(lambdaCost, "lambdaCost"),
                RequestRules.Required(lambdaRisk, "lambdaRisk"),
                RequestRules.Required(lambdaEffort, "lambdaEffort"))
            : null;
    }

    /// <summary>MODEL §7(d), with field names relative to the <c>combine</c> block.</summary>
    private static CombinedSharesView Combine(CombineRequest combine, IReadOnlyList<double> riskShares)
    {
        var weights = Weights(combine.LambdaCost, combine.LambdaRisk, combine.LambdaEffort, combine.Matrix);

        // The party count comes from the risk tables, so a mismatch is the client's cost or effort shares.
        Guard.Length(combine.CostShares, "costShares", riskShares.Count, "party");
        Guard.Length(combine.EffortShares, "effortShares", riskShares.Count, "party");
        var result = CombinedAllocation.Combine(combine.CostShares, riskShares, combine.EffortShares, weights);
        return new CombinedSharesView(result.Shares, result.Weights.LambdaCost, result.Weights.LambdaRisk, result.Weights.LambdaEffort);
    }

    /// <summary>Maps <c>GET templates</c>: the indicator trees of MODEL §6, read-only.</summary>
    public static RouteHandlerBuilder MapIndicatorTemplates(this RouteGroupBuilder group) =>
        group.MapGet("templates", () => TypedResults.Ok(IndicatorTemplates.All))
            .WithName("templates")
            .WithSummary("MODEL §6: the indicator trees shipped as templates (seed 000 tables 2 and 3): cost/input criteria and risk criteria, with stable ids.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
