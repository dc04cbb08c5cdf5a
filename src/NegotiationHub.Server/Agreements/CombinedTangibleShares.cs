using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Allocation;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Server.Infrastructure;
using NegotiationHub.Server.Calculators;

namespace NegotiationHub.Server.Agreements;

/// <summary>
/// The tangible-share pipeline of MODEL §6–7 for a session's parties: cost-based ω (§7b, with
/// contribution degrees from several experts by GEM, §6), risk-based v (§7c, optionally from the
/// risk template's indicators weighted by AHP, §6), the effort-game optimum t* (§7a), combined
/// with the coordinator's λ (§7d). Every error names its field by the full request path.
/// </summary>
public static class CombinedTangibleShares
{
    /// <summary>Computes the tangible shares and payouts for <paramref name="parties"/> parties and the pool N.</summary>
    /// <exception cref="ModelValidationException">An input breaks a rule; the field is its JSON path, e.g. <c>cost.costs[2]</c>.</exception>
    public static TangibleSharesView Compute(TangibleSharesRequest request, int parties, double tangiblePool)
    {
        ArgumentNullException.ThrowIfNull(request);
        var weights = (request.Weights is { } w
            ? FieldPaths.Under("weights", () => AllocationCalculators.Weights(w.LambdaCost, w.LambdaRisk, w.LambdaEffort, w.Matrix))
            : null) ?? AllocationWeights.EqualThirds;

        var cost = Block(request.Cost, "cost", "lambdaCost", weights.LambdaCost, c => Cost(c, parties));
        var risk = Block(request.Risk, "risk", "lambdaRisk", weights.LambdaRisk, r => Risk(r, parties));
        var effort = Block(request.Effort, "effort", "lambdaEffort", weights.LambdaEffort, e => Effort(e, parties));

        // A block left out has weight 0, so any share vector stands in for it.
        var uniform = Enumerable.Repeat(1.0 / parties, parties).ToArray();
        var combined = CombinedAllocation.Combine(cost?.Shares ?? uniform, risk?.Shares ?? uniform, effort?.Shares ?? uniform, weights);
        return new TangibleSharesView(
            cost, risk, effort,
            weights.LambdaCost, weights.LambdaRisk, weights.LambdaEffort,
            combined.Shares,
            [.. combined.Shares.Select(s => s * tangiblePool)]);
    }

    private static T? Block<TRequest, T>(TRequest? request, string field, string lambdaField, double lambda, Func<TRequest, T> compute)
        where TRequest : class
        where T : class
    {
        if (request is null)
        {
            return lambda > 0
                ? throw new ModelValidationException(field, $"is required while weights.{lambdaField} = {Guard.Format(lambda)} > 0 (leave a block out only with a weight of 0)")
                : null;
        }

        return FieldPaths.Under(field, () => compute(request));
    }

    /// <summary>MODEL §7(b); the contribution degrees as given or aggregated from the experts' tables by GEM (§6).</summary>
    private static CostSharesView Cost(TangibleCostRequest request, int parties)
    {
        Guard.Length(request.Costs, "costs", parties, "party");
        var rate = RequestRules.Required(request.Rate, "rate");
        if (request.ExpertScores is null)
        {
            if (request.ContributionDegrees is null)
            {
                throw new ModelValidationException("contributionDegrees", "give the contribution degrees P[party][stage][resource], or expertScores to aggregate by GEM");
            }

            var input = new CostBasedAllocationInput(request.Costs, request.ContributionDegrees, rate, 0);
            var result = CostBasedAllocation.Compute(input);
            return new CostSharesView(Table(input), null, result.Values, result.Shares);
        }

        if (request.ContributionDegrees is not null)
        {
            throw new ModelValidationException("expertScores", "give either contributionDegrees or expertScores, not both");
        }

        // The costs fix the table's shape; validate them before the experts' tables are held against it.
        var shape = new CostBasedAllocationInput(request.Costs, request.Costs, rate, 0);
        var (degrees, agreement) = Aggregate(request.ExpertScores, shape.Parties, shape.Stages, shape.Resources);
        var aggregated = new CostBasedAllocationInput(request.Costs, degrees, rate, 0);
        var computed = FieldPaths.Renamed("contributionDegrees", "expertScores", () => CostBasedAllocation.Compute(aggregated));
        return new CostSharesView(degrees, agreement, computed.Values, computed.Shares);
    }

    /// <summary>MODEL §6 GEM over the experts' tables: each table is one row of X (its cells in [party][stage][resource] order).</summary>
    private static (double[][][] Degrees, double Agreement) Aggregate(
        IReadOnlyList<IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>>> experts, int parties, int stages, int resources)
    {
        var cells = parties * stages * resources;
        if (cells > ModelLimits.MaxItems)
        {
            throw new ModelValidationException("expertScores",
                $"GEM aggregates at most {ModelLimits.MaxItems} cells per table (parties × stages × resources), these tables have {cells}: give contributionDegrees instead");
        }

        var tables = Guard.Count(experts, "expertScores", 1, ModelLimits.MaxExperts);
        var rows = new double[tables.Length][];
        for (var e = 0; e < tables.Length; e++)
        {
            var field = $"expertScores[{e}]";
            var byParty = Guard.Length(tables[e], field, parties, "party");
            var row = new double[cells];
            var k = 0;
            for (var i = 0; i < parties; i++)
            {
                var byStage = Guard.Length(byParty[i], $"{field}[{i}]", stages, "stage");
                for (var j = 0; j < stages; j++)
                {
                    var byResource = Guard.Length(byStage[j], $"{field}[{i}][{j}]", resources, "resource");
                    for (var o = 0; o < resources; o++)
                    {
                        row[k++] = Guard.InRange(byResource[o], $"{field}[{i}][{j}][{o}]", 0, AllocationLimits.MaxAmount);
                    }
                }
            }

            rows[e] = row;
        }

        // Row-level rules (an expert who scored nothing) come back as scores[e]: the expert's table.
        var group = FieldPaths.Renamed("scores", "expertScores", () => GroupEigenvalueMethod.Aggregate(new ExpertScores(rows)));
        var degrees = new double[parties][][];
        var cell = 0;
        for (var i = 0; i < parties; i++)
        {
            degrees[i] = new double[stages][];
            for (var j = 0; j < stages; j++)
            {
                degrees[i][j] = new double[resources];
                for (var o = 0; o < resources; o++)
                {
                    degrees[i][j][o] = group.Weights[cell++];
                }
            }
        }

        return (degrees, group.Agreement);
    }

    /// <summary>MODEL §7(c), from the three risk tables or from the risk template's indicator scores.</summary>
    private static RiskSharesView Risk(TangibleRiskRequest request, int parties)
    {
        if (request.IndicatorScores is null)
        {
            if (request.IndicatorMatrices is not null)
            {
                throw new ModelValidationException("indicatorMatrices", "weigh indicators only together with indicatorScores");
            }

            Guard.Length(request.MarketRisks, "marketRisks", parties, "party");
            var input = new RiskBasedAllocationInput(request.MarketRisks, request.TechnicalRisks, request.CooperationRisks);
            return View(null, input, RiskBasedAllocation.Compute(input));
        }

        if (request.MarketRisks is not null || request.TechnicalRisks is not null || request.CooperationRisks is not null)
        {
            throw new ModelValidationException("indicatorScores", "give either marketRisks, technicalRisks and cooperationRisks, or indicatorScores, not both");
        }

        var (weights, byCriterion) = FromIndicators(request.IndicatorScores, request.IndicatorMatrices, parties);
        var fromIndicators = new RiskBasedAllocationInput(byCriterion[0], byCriterion[1], byCriterion[2]);
        try
        {
            return View(weights, fromIndicators, RiskBasedAllocation.Compute(fromIndicators));
        }
        catch (ModelValidationException exception)
        {
            // The rule (a risk sum of 0) is about the scores the client sent, not tables it never saw.
            throw new ModelValidationException([.. exception.Errors.Select(e => e.Message).Distinct().Select(m => new FieldError("indicatorScores", m))]);
        }
    }

    /// <summary>
    /// The market, technical and cooperation risks as AHP-weighted scores of the risk template's
    /// indicators (MODEL §6–7c): criterion risk = Σ_k w_k · score_k with local weights w from the
    /// criterion's matrix, or equal.
    /// </summary>
    private static (Dictionary<string, IReadOnlyList<double>> Weights, double[][][] ByCriterion) FromIndicators(
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>> scores,
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>>? matrices,
        int parties)
    {
        var tree = IndicatorTemplates.Risks;
        var indicatorIds = tree.Criteria.SelectMany(c => c.Indicators).Select(i => i.Id).ToList();
        foreach (var key in scores.Keys.Where(k => !indicatorIds.Contains(k)))
        {
            throw new ModelValidationException($"indicatorScores.{key}", $"is not an indicator of the risk template; the indicators are {string.Join(", ", indicatorIds)}");
        }

        foreach (var key in (matrices?.Keys ?? []).Where(k => tree.Criteria.All(c => c.Id != k)))
        {
            throw new ModelValidationException($"indicatorMatrices.{key}", $"is not a criterion of the risk template; the criteria are {string.Join(", ", tree.Criteria.Select(c => c.Id))}");
        }

        int? stages = null;
        var weights = new Dictionary<string, IReadOnlyList<double>>();
        var byCriterion = new double[tree.Criteria.Count][][];
        for (var c = 0; c < tree.Criteria.Count; c++)
        {
            var criterion = tree.Criteria[c];
            var local = LocalWeights(criterion, matrices);
            weights[criterion.Id] = local;
            var risk = new double[parties][];
            for (var k = 0; k < criterion.Indicators.Count; k++)
            {
                var field = $"indicatorScores.{criterion.Indicators[k].Id}";
                var rows = Guard.Length(scores.GetValueOrDefault(criterion.Indicators[k].Id), field, parties, "party");
                for (var i = 0; i < parties; i++)
                {
                    var row = stages is { } m
                        ? Guard.Length(rows[i], $"{field}[{i}]", m, "stage")
                        : Guard.Count(rows[i], $"{field}[{i}]", 1, ModelLimits.MaxStages);
                    stages = row.Length;
                    risk[i] ??= new double[row.Length];
                    for (var j = 0; j < row.Length; j++)
                    {
                        // MODEL §7c: a risk of 1 is certain failure; scores live in [0, 1).
                        risk[i][j] += local[k] * Guard.InRange(row[j], $"{field}[{i}][{j}]", 0, 1, maxOpen: true);
                    }
                }
            }

            byCriterion[c] = risk;
        }

        // A weighted mean of scores below 1 is below 1; only rounding of Σ w = 1 could touch it.
        foreach (var risk in byCriterion)
        {
            foreach (var row in risk)
            {
                for (var j = 0; j < row.Length; j++)
                {
                    row[j] = Math.Min(row[j], Math.BitDecrement(1.0));
                }
            }
        }

        return (weights, byCriterion);
    }

    private static IReadOnlyList<double> LocalWeights(Criterion criterion, IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>>? matrices)
    {
        var count = criterion.Indicators.Count;
        if (matrices is null || !matrices.TryGetValue(criterion.Id, out var matrix))
        {
            return Enumerable.Repeat(1.0 / count, count).ToArray();
        }

        return FieldPaths.Renamed("matrix", $"indicatorMatrices.{criterion.Id}", () =>
        {
            var parsed = new PairwiseComparisonMatrix(matrix);
            if (parsed.Size != count)
            {
                throw new ModelValidationException("matrix",
                    $"must be {count}×{count}, one row and column per indicator of {criterion.Id} ({string.Join(", ", criterion.Indicators.Select(i => i.Id))})");
            }

            // ADR 0001: a place that uses AHP weights requires a consistent matrix.
            return AnalyticHierarchyProcess.ComputeConsistent(parsed).Weights;
        });
    }

    private static RiskSharesView View(Dictionary<string, IReadOnlyList<double>>? weights, RiskBasedAllocationInput input, RiskBasedAllocationResult result) =>
        new(weights, Table(input, input.MarketRisk), Table(input, input.TechnicalRisk), Table(input, input.CooperationRisk), result.Risks, result.StageShares, result.Shares);

    private static double[][] Table(RiskBasedAllocationInput input, Func<int, int, double> value) =>
        [.. Enumerable.Range(0, input.Parties).Select(i => Enumerable.Range(0, input.Stages).Select(j => value(i, j)).ToArray())];

    private static double[][][] Table(CostBasedAllocationInput input) =>
        [.. Enumerable.Range(0, input.Parties).Select(i => Enumerable.Range(0, input.Stages)
            .Select(j => Enumerable.Range(0, input.Resources).Select(o => input.ContributionDegree(i, j, o)).ToArray()).ToArray())];

    /// <summary>MODEL §7(a): the shares t* that maximize the alliance's total value.</summary>
    private static EffortSharesView Effort(EffortGameRequest request, int parties)
    {
        if (request.Shares is not null)
        {
            throw new ModelValidationException("shares", "is not used here: the tangible share takes the effort game's optimum t*");
        }

        Guard.Length(request.Contributions, "contributions", parties, "party");
        var input = new EffortGameInput(request.Contributions, request.CostCoefficients, request.FixedCosts, request.BaseOutput ?? 0);
        var optimum = EffortGame.Optimize(input);
        return new EffortSharesView(input.EffortWeights, optimum.Outcome.Shares, optimum.Outcome.TotalValue, optimum.RelativeKktResidual);
    }
}
