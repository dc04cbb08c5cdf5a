
namespace NegotiationHub.Server.Calculators;

/// <summary>MODEL §7(c) input, with an optional §7(d) combination.</summary>
public sealed record RiskAllocationRequest
{
    /// <summary>Ra[i][j] in [0, 1), indexed [party][stage].</summary>
    public IReadOnlyList<IReadOnlyList<double>>? MarketRisks { get; init; }

    /// <summary>Rb[i][j] in [0, 1), the same shape.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? TechnicalRisks { get; init; }

    /// <summary>Rc[i][j] in [0, 1), the same shape.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? CooperationRisks { get; init; }

    /// <summary>Optional MODEL §7(d): combine the risk-based shares computed here with cost and effort shares.</summary>
    public CombineRequest? Combine { get; init; }
}
