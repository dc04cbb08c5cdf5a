
namespace NegotiationHub.Server.Calculators;

/// <summary>The combined tangible shares of MODEL §7(d) and the λ used.</summary>
/// <param name="Shares">λ_cost·ω_i + λ_risk·v_i + λ_effort·t*_i, summing to 1.</param>
/// <param name="LambdaCost">λ_cost.</param>
/// <param name="LambdaRisk">λ_risk.</param>
/// <param name="LambdaEffort">λ_effort.</param>
public sealed record CombinedSharesView(IReadOnlyList<double> Shares, double LambdaCost, double LambdaRisk, double LambdaEffort);
