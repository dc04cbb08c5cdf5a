
namespace NegotiationHub.Server.Calculators;

/// <summary>The outcome of a revision check or proposal, and the path of repeated partial adjustment.</summary>
/// <param name="CurrentShares">s.</param>
/// <param name="OptimalShares">s*.</param>
/// <param name="ProposedShares">s' (given, or s + λ(s* − s)).</param>
/// <param name="Valid">True when s' moves every share toward s*.</param>
/// <param name="Violations">The offending shares, with a message each.</param>
/// <param name="DistanceBefore">Σ|s − s*|.</param>
/// <param name="DistanceAfter">Σ|s' − s*|.</param>
/// <param name="Lambda">λ used for the path.</param>
/// <param name="Path">Shares after each of the requested periods of partial adjustment from s.</param>
public sealed record RevisionResponse(
    IReadOnlyList<double> CurrentShares,
    IReadOnlyList<double> OptimalShares,
    IReadOnlyList<double> ProposedShares,
    bool Valid,
    IReadOnlyList<RevisionViolationView> Violations,
    double DistanceBefore,
    double DistanceAfter,
    double Lambda,
    IReadOnlyList<IReadOnlyList<double>> Path);
