
namespace NegotiationHub.Server.Agreements;

/// <summary>One revision of a contract, as kept forever: the contract's full state after it.</summary>
/// <param name="Number">0 for the agreement, then 1, 2, …</param>
/// <param name="Kind">agreement, revision or tangible.</param>
/// <param name="Period">The strength period behind <paramref name="OptimalShares"/>.</param>
/// <param name="Shares">s_i after this revision.</param>
/// <param name="TangibleShares">The tangible shares after this revision, once set.</param>
/// <param name="OptimalShares">s*, the NBS shares under the period's strengths.</param>
/// <param name="Powers">h_i behind s*.</param>
/// <param name="Strengths">I[i][p] behind h (parties × factors).</param>
/// <param name="Lambda">λ of a partial adjustment; null for the agreement, a checked proposal or tangible shares.</param>
/// <param name="CreatedUtc">When it took effect (server clock).</param>
/// <param name="CreatedBy">The coordinator's user name; null for the agreement.</param>
public sealed record ContractRevisionView(
    int Number,
    ContractRevisionKind Kind,
    int Period,
    IReadOnlyList<double> Shares,
    IReadOnlyList<double>? TangibleShares,
    IReadOnlyList<double> OptimalShares,
    IReadOnlyList<double> Powers,
    IReadOnlyList<IReadOnlyList<double>>? Strengths,
    double? Lambda,
    DateTimeOffset CreatedUtc,
    string? CreatedBy);
