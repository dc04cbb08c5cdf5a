using System.Text.Json.Serialization;

namespace NegotiationHub.Server.Agreements;

/// <summary>MODEL §7(b) as computed for the contract.</summary>
/// <param name="ContributionDegrees">P[i][j][o] used: as given, or the experts' GEM group vector reshaped (summing to 1 over all cells).</param>
/// <param name="ExpertAgreement">GEM agreement λ1/trace(XᵀX) when the degrees came from experts.</param>
/// <param name="Values">value_i = Σ_j Σ_o C_ijo (1 + r)^(m + 1 − j) P_ijo.</param>
/// <param name="Shares">ω_i.</param>
public sealed record CostSharesView(
    IReadOnlyList<IReadOnlyList<IReadOnlyList<double>>> ContributionDegrees,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ExpertAgreement,
    IReadOnlyList<double> Values,
    IReadOnlyList<double> Shares);
