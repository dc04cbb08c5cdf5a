using System.Text.Json.Serialization;

namespace NegotiationHub.Server.Calculators;

/// <summary>The risk-based shares (MODEL §7c) and, when asked, the combined shares (§7d).</summary>
/// <param name="Risks">R_ij, [party][stage].</param>
/// <param name="StageShares">R_ij / Σ_i R_ij, [party][stage].</param>
/// <param name="Shares">v_i = Σ_j R_ij / Σ_i Σ_j R_ij.</param>
/// <param name="Combined">MODEL §7(d), when <c>combine</c> was given.</param>
public sealed record RiskAllocationResponse(
    IReadOnlyList<IReadOnlyList<double>> Risks,
    IReadOnlyList<IReadOnlyList<double>> StageShares,
    IReadOnlyList<double> Shares,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CombinedSharesView? Combined);
