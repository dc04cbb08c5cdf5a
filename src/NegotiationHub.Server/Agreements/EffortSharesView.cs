
namespace NegotiationHub.Server.Agreements;

/// <summary>MODEL §7(a) as computed for the contract.</summary>
/// <param name="EffortWeights">w_i = d_i²/b_i.</param>
/// <param name="Shares">t*, maximizing the total value V.</param>
/// <param name="TotalValue">V at t*.</param>
/// <param name="RelativeKktResidual">The optimum's certificate (rounding only).</param>
public sealed record EffortSharesView(IReadOnlyList<double> EffortWeights, IReadOnlyList<double> Shares, double TotalValue, double RelativeKktResidual);
