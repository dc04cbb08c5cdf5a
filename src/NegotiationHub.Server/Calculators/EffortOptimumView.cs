
namespace NegotiationHub.Server.Calculators;

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
