using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Allocation;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Calculators;

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
