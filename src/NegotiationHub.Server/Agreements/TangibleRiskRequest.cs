
namespace NegotiationHub.Server.Agreements;

/// <summary>
/// MODEL §7(c): the market, technical and cooperation risks per party and stage — given directly,
/// or as scores of the risk template's indicators (seed 000 table 3) weighted by AHP.
/// </summary>
public sealed record TangibleRiskRequest
{
    /// <summary>Ra[i][j] in [0, 1), [party][stage].</summary>
    public IReadOnlyList<IReadOnlyList<double>>? MarketRisks { get; init; }

    /// <summary>Rb[i][j] in [0, 1), the same shape.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? TechnicalRisks { get; init; }

    /// <summary>Rc[i][j] in [0, 1), the same shape.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? CooperationRisks { get; init; }

    /// <summary>
    /// Instead of the three tables: for every indicator id of the risk template
    /// (<c>GET /api/models/templates</c>, tree <c>risks</c>), its scores in [0, 1), [party][stage].
    /// A criterion's risk is the AHP-weighted score of its indicators.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>>? IndicatorScores { get; init; }

    /// <summary>
    /// With <see cref="IndicatorScores"/>: per criterion id (<c>market</c>, <c>technical</c>,
    /// <c>cooperation</c>), an AHP matrix comparing its indicators in template order (CR &lt; 0.10);
    /// a criterion left out weighs its indicators equally.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<double>>>? IndicatorMatrices { get; init; }
}
