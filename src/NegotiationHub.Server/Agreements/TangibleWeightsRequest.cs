
namespace NegotiationHub.Server.Agreements;

/// <summary>MODEL §7(d): λ_cost, λ_risk, λ_effort (≥ 0, summing to 1), or a consistent 3×3 AHP matrix (order cost, risk, effort).</summary>
public sealed record TangibleWeightsRequest
{
    public double? LambdaCost { get; init; }

    public double? LambdaRisk { get; init; }

    public double? LambdaEffort { get; init; }

    public IReadOnlyList<IReadOnlyList<double>>? Matrix { get; init; }
}
