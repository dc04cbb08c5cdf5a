using System.Text.Json.Nodes;
using NegotiationHub.Bargaining.Ahp;
using NegotiationHub.Bargaining.Allocation;
using NegotiationHub.Bargaining.Power;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Calculators;

/// <summary><c>POST /api/models/{name}</c>: the MODEL.md calculators. No login; rate limited.</summary>
public static class ModelCalculatorsApi
{
    /// <summary>The rate-limiting policy the calculators use.</summary>
    public const string RateLimitPolicy = "models";

    /// <summary>Maps every calculator.</summary>
    public static RouteGroupBuilder MapModelCalculators(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/models")
            .WithTags("Model calculators")
            .RequireRateLimiting(RateLimitPolicy);

        group.MapCalculator<BargainingPowerRequest, BargainingPowerResult>("bargaining-power",
            "MODEL §1: strength ratios, raw power and bargaining power h_i. Bounds: every strength in [1e-100, 1e100]; strengths so far apart that some h_i would fall below 1e-100 are refused (400, field strengths).",
            r => BargainingPower.Compute(r.ToInput()));
        group.MapCalculator<BargainingProblemRequest, NashResponse>("nash",
            "MODEL §3: the asymmetric Nash bargaining solution, within 1e-9·K of the exact one. Bounds: pool K, log scales s, exponential ρ and powers h_i in [1e-100, 1e100] (h_i ≥ 1e-100), power α in [1e-12, 1], ρ·K ≤ 700, d_i ≥ 0 with Σd < K. Out of bounds: 400 naming the field and the bound.",
            r => NashResponse.Solve(r.ToProblem()));
        group.MapCalculator<RoundRequest, RoundAnalysis>("round",
            "MODEL §4: gap, who concedes, target, distance, Nash efficiency, ratio spread, auto-concession step. Bounds as for nash.",
            BargainingCalculators.Round);
        group.MapCalculator<RevisionRequest, RevisionResponse>("revision",
            "MODEL §5: check or propose a contract revision; the partial-adjustment path.",
            BargainingCalculators.Revision);
        group.MapCalculator<AhpRequest, AhpResponse>("ahp",
            "MODEL §6: AHP weights, λmax, CI, CR, RI and the worst judgement; an inconsistent matrix (CR ≥ 0.10) is answered with consistent: false. Optional indicatorMatrices (one per criterion) add local and global indicator weights.",
            AllocationCalculators.Ahp);
        group.MapCalculator<GemRequest, GroupScores>("gem",
            "MODEL §6: the group eigenvalue method: experts' scores (experts × items) → group weights and agreement.",
            AllocationCalculators.Gem);
        group.MapCalculator<EffortGameRequest, EffortGameResponse>("effort-game",
            "MODEL §7(a): the two-stage effort game: optimal shares t* with efforts, output, costs, payoffs, total value and KKT residuals; with shares, also the outcome at those shares.",
            AllocationCalculators.Effort);
        group.MapCalculator<CostAllocationRequest, CostBasedAllocationResult>("cost-allocation",
            "MODEL §7(b): the cost-based shares ω and payouts from costs and contribution degrees [party][stage][resource].",
            AllocationCalculators.CostAllocation);
        group.MapCalculator<RiskAllocationRequest, RiskAllocationResponse>("risk-allocation",
            "MODEL §7(c): the risk-based shares v from market, technical and cooperation risks [party][stage]. MODEL §7(d) lives here: an optional combine block (costShares, effortShares and λ or a 3×3 AHP matrix) adds the combined tangible shares.",
            AllocationCalculators.RiskAllocation);
        group.MapCalculator<SpilloverRequest, SpilloverResponse>("spillover",
            "MODEL §8: R&D level, output, price, cost, profit, surplus and welfare under no, R&D and full cooperation; optional β sweep.",
            AnalysisCalculators.Spillover);
        group.MapCalculator<SymbiosisRequest, SymbiosisResponse>("symbiosis",
            "MODEL §9: logistic symbiosis equilibrium and stability, pair relations, and the trajectory.",
            AnalysisCalculators.Symbiosis);
        group.MapIndicatorTemplates();
        return group;
    }

    /// <summary>
    /// Maps one calculator: JSON in, JSON out, every failure a 400 problem naming the field; a
    /// result that would hold a non-finite number is a 422 naming the output field.
    /// </summary>
    public static RouteHandlerBuilder MapCalculator<TRequest, TResponse>(
        this RouteGroupBuilder group, string name, string summary, Func<TRequest, TResponse> compute)
        where TRequest : class =>
        group.MapPost(name, (Delegate)((HttpContext context) => JsonBody.HandleAsync(context, compute)))
            .WithName(name)
            .WithSummary(summary)
            .Accepts<TRequest>("application/json")
            .Produces<TResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (CalculatorExamples.Requests.TryGetValue(name, out var example)
                    && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
                {
                    body.Example = JsonNode.Parse(example);
                }

                return Task.CompletedTask;
            });
}
