using System.Text.Json.Serialization;

namespace NegotiationHub.Server.Agreements;

/// <summary>MODEL §7(c) as computed for the contract.</summary>
/// <param name="IndicatorWeights">With indicator scores: per criterion id, its indicators' local AHP weights in template order.</param>
/// <param name="MarketRisks">Ra[i][j] used.</param>
/// <param name="TechnicalRisks">Rb[i][j] used.</param>
/// <param name="CooperationRisks">Rc[i][j] used.</param>
/// <param name="Risks">R_ij = 1 − (1 − Ra)(1 − Rb)(1 − Rc).</param>
/// <param name="StageShares">R_ij / Σ_i R_ij.</param>
/// <param name="Shares">v_i.</param>
public sealed record RiskSharesView(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<double>>? IndicatorWeights,
    IReadOnlyList<IReadOnlyList<double>> MarketRisks,
    IReadOnlyList<IReadOnlyList<double>> TechnicalRisks,
    IReadOnlyList<IReadOnlyList<double>> CooperationRisks,
    IReadOnlyList<IReadOnlyList<double>> Risks,
    IReadOnlyList<IReadOnlyList<double>> StageShares,
    IReadOnlyList<double> Shares);
