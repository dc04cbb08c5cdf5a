using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Revisions;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Calculators;

/// <summary>The calculators of MODEL §1–5.</summary>
public static class BargainingCalculators
{
    /// <summary>Most periods a revision path may ask for.</summary>
    public const int MaxPeriods = 100;

    /// <summary>MODEL §4.</summary>
    public static RoundAnalysis Round(RoundRequest request) =>
        RoundAnalyzer.Analyze(request.ToProblem(), request.Demands!, request.Lambda ?? ConcessionRule.DefaultLambda);

    /// <summary>MODEL §5.</summary>
    public static RevisionResponse Revision(RevisionRequest request)
    {
        var current = ContractRevision.ValidateShares(request.CurrentShares, "currentShares");
        double[] optimum;
        if (request.OptimalShares is not null)
        {
            optimum = ContractRevision.ValidateShares(request.OptimalShares, "optimalShares", current.Length);
        }
        else if (request.Problem is not null)
        {
            var problem = FieldPaths.Under("problem", request.Problem.ToProblem);
            optimum = [.. NashBargainingSolver.Solve(problem).Shares];
            if (optimum.Length != current.Length)
            {
                throw new ModelValidationException("problem.powers", $"must have one entry per party ({current.Length})");
            }
        }
        else
        {
            throw new ModelValidationException("optimalShares", "give the optimal shares, or the bargaining problem under the new strengths");
        }

        var lambda = Guard.InRange(request.Lambda ?? ConcessionRule.DefaultLambda, "lambda", 0, 1, minOpen: true);
        var periods = request.Periods ?? 10;
        if (periods is < 0 or > MaxPeriods)
        {
            throw new ModelValidationException("periods", $"must lie in [0, {MaxPeriods}]");
        }

        var proposed = request.ProposedShares is null
            ? ContractRevision.PartialAdjustment(current, optimum, lambda)
            : ContractRevision.ValidateShares(request.ProposedShares, "proposedShares", current.Length);
        var check = ContractRevision.Check(current, optimum, proposed);

        var path = new List<IReadOnlyList<double>>(periods);
        var shares = current;
        for (var t = 0; t < periods; t++)
        {
            shares = ContractRevision.PartialAdjustment(shares, optimum, lambda);
            path.Add(shares);
        }

        return new RevisionResponse(
            current, optimum, proposed, check.Valid,
            check.Violations.Select(v => new RevisionViolationView(v.Party, v.Current, v.Optimum, v.Proposed, v.Describe())).ToArray(),
            check.DistanceBefore, check.DistanceAfter, lambda, path);
    }
}
