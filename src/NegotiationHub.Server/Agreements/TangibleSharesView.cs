
namespace NegotiationHub.Server.Agreements;

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
