
namespace NegotiationHub.Server.Agreements;

/// <summary>A session's contract: the shares in force and every revision.</summary>
/// <param name="ContractId">The contract.</param>
/// <param name="SessionId">Its session.</param>
/// <param name="AgreementRound">The round whose agreement made it.</param>
/// <param name="Revision">The revision in force — what a reviser passes as <c>expectedRevision</c>.</param>
/// <param name="Period">The strength period of the revision in force.</param>
/// <param name="Shares">s_i, the intangible shares (sum 1).</param>
/// <param name="Allocation">s_i · K.</param>
/// <param name="OptimalShares">s* of the revision in force.</param>
/// <param name="TangibleShares">The tangible shares (MODEL §7d), once set.</param>
/// <param name="TangiblePayouts">Tangible share · N, once set.</param>
/// <param name="Pool">K.</param>
/// <param name="TangiblePool">N.</param>
/// <param name="Revisions">Every revision, oldest first.</param>
public sealed record ContractDetails(
    Guid ContractId,
    Guid SessionId,
    int AgreementRound,
    int Revision,
    int Period,
    IReadOnlyList<double> Shares,
    IReadOnlyList<double> Allocation,
    IReadOnlyList<double> OptimalShares,
    IReadOnlyList<double>? TangibleShares,
    IReadOnlyList<double>? TangiblePayouts,
    double Pool,
    double TangiblePool,
    IReadOnlyList<ContractRevisionView> Revisions);
