using NegotiationHub.Bargaining.Power;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Models;

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
            "MODEL §1: strength ratios, raw power and bargaining power h_i.",
            r => BargainingPower.Compute(r.ToInput()));
        group.MapCalculator<BargainingProblemRequest, NashResponse>("nash",
            "MODEL §3: the asymmetric Nash bargaining solution.",
            r => NashResponse.Solve(r.ToProblem()));
        group.MapCalculator<RoundRequest, RoundAnalysis>("round",
            "MODEL §4: gap, who concedes, target, distance, Nash efficiency, ratio spread, auto-concession step.",
            BargainingCalculators.Round);
        group.MapCalculator<RevisionRequest, RevisionResponse>("revision",
            "MODEL §5: check or propose a contract revision; the partial-adjustment path.",
            BargainingCalculators.Revision);
        group.MapCalculator<SpilloverRequest, SpilloverResponse>("spillover",
            "MODEL §8: R&D level, output, price, cost, profit, surplus and welfare under no, R&D and full cooperation; optional β sweep.",
            AnalysisCalculators.Spillover);
        group.MapCalculator<SymbiosisRequest, SymbiosisResponse>("symbiosis",
            "MODEL §9: logistic symbiosis equilibrium and stability, pair relations, and the trajectory.",
            AnalysisCalculators.Symbiosis);
        return group;
    }

    /// <summary>Maps one calculator: JSON in, JSON out, every failure a 400 problem naming the field.</summary>
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
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
