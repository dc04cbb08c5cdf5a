using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Power;
using NegotiationHub.Bargaining.Revisions;
using NegotiationHub.Bargaining.Rounds;
using NegotiationHub.Bargaining.Utilities;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Server.Infrastructure;

namespace NegotiationHub.Server.Models;

/// <summary>A utility function on the wire: <c>{ "kind": "power", "alpha": 0.5 }</c> (MODEL §2).</summary>
public sealed record UtilitySpec
{
    /// <summary>linear, power, log or exponential.</summary>
    public UtilityKind? Kind { get; init; }

    /// <summary>α for the power kind, 0 &lt; α ≤ 1.</summary>
    public double? Alpha { get; init; }

    /// <summary>s for the log kind, s &gt; 0.</summary>
    public double? Scale { get; init; }

    /// <summary>ρ for the exponential kind, ρ &gt; 0.</summary>
    public double? Rho { get; init; }

    /// <summary>Builds the validated utility; <paramref name="field"/> names it in errors.</summary>
    public Utility ToUtility(string field)
    {
        var kind = Kind ?? throw new ModelValidationException($"{field}.kind", "is required (linear, power, log or exponential)");
        return Utility.Create(kind, kind switch
        {
            UtilityKind.Power => Alpha,
            UtilityKind.Log => Scale,
            UtilityKind.Exponential => Rho,
            _ => null,
        }, field);
    }
}

/// <summary>MODEL §1 input: strengths per party and factor, with common or per-party weights.</summary>
public record BargainingPowerRequest
{
    /// <summary>Strengths I[i][p] &gt; 0 (parties × factors).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Strengths { get; init; }

    /// <summary>Common factor weights π_p, summing to 1.</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>Per-party factor weights π[i][p], each row summing to 1.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? PartyWeights { get; init; }

    /// <summary>Builds the validated input.</summary>
    public BargainingPowerInput ToInput() => new(Strengths, Weights, PartyWeights);
}

/// <summary>
/// A bargaining problem (MODEL §3) on the wire: the pool, either the powers h or the strengths and
/// weights they come from (§1), the utilities and the disagreement points.
/// </summary>
public record BargainingProblemRequest
{
    /// <summary>The pool K &gt; 0.</summary>
    public double? Pool { get; init; }

    /// <summary>Bargaining powers h_i &gt; 0 summing to 1; or omit and give strengths.</summary>
    public IReadOnlyList<double>? Powers { get; init; }

    /// <summary>Strengths I[i][p] from which the powers are computed (§1), when powers are omitted.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Strengths { get; init; }

    /// <summary>Common factor weights (with strengths).</summary>
    public IReadOnlyList<double>? Weights { get; init; }

    /// <summary>Per-party factor weights (with strengths).</summary>
    public IReadOnlyList<IReadOnlyList<double>>? PartyWeights { get; init; }

    /// <summary>One utility per party; omitted means all linear.</summary>
    public IReadOnlyList<UtilitySpec>? Utilities { get; init; }

    /// <summary>Disagreement points d_i ≥ 0 with Σd &lt; K; omitted means all 0.</summary>
    public IReadOnlyList<double>? Disagreement { get; init; }

    /// <summary>Builds the validated problem.</summary>
    public NashBargainingProblem ToProblem()
    {
        var pool = Pool ?? throw new ModelValidationException("pool", "is required");
        IReadOnlyList<double>? powers = Powers;
        if (powers is null)
        {
            if (Strengths is null)
            {
                throw new ModelValidationException("powers", "give the bargaining powers, or the strengths (with weights) they come from");
            }

            powers = BargainingPower.Powers(new BargainingPowerInput(Strengths, Weights, PartyWeights));
        }

        var utilities = Utilities?.Select((u, i) => u is null
            ? throw new ModelValidationException($"utilities[{i}]", "is required")
            : u.ToUtility($"utilities[{i}]")).ToArray();
        if (utilities is not null && utilities.Length > ModelLimits.MaxParties)
        {
            throw new ModelValidationException("utilities", $"must have at most {ModelLimits.MaxParties} entries");
        }

        return new NashBargainingProblem(pool, powers, utilities, Disagreement);
    }
}

/// <summary>MODEL §4 input: a problem and one demand per party.</summary>
public sealed record RoundRequest : BargainingProblemRequest
{
    /// <summary>Demands D_i with d_i ≤ D_i ≤ K.</summary>
    public IReadOnlyList<double>? Demands { get; init; }

    /// <summary>Auto-concession fraction λ ∈ (0, 1]; default 0.5.</summary>
    public double? Lambda { get; init; }
}

/// <summary>
/// MODEL §5 input: the current shares and the optimum — given directly, or as the bargaining
/// problem under the new strengths — and either a proposed revision to check or λ to propose one.
/// </summary>
public sealed record RevisionRequest
{
    /// <summary>The contract's current shares s (summing to 1).</summary>
    public IReadOnlyList<double>? CurrentShares { get; init; }

    /// <summary>The optimum s*; or omit and give <see cref="Problem"/>.</summary>
    public IReadOnlyList<double>? OptimalShares { get; init; }

    /// <summary>The bargaining problem under the new strengths, whose NBS shares are the optimum.</summary>
    public BargainingProblemRequest? Problem { get; init; }

    /// <summary>A proposed revision s' to check; or omit to propose s + λ(s* − s).</summary>
    public IReadOnlyList<double>? ProposedShares { get; init; }

    /// <summary>Partial-adjustment fraction λ ∈ (0, 1]; default 0.5.</summary>
    public double? Lambda { get; init; }

    /// <summary>How many periods of repeated partial adjustment to return as a path (0..100, default 10).</summary>
    public int? Periods { get; init; }
}

/// <summary>The NBS with the powers it used.</summary>
public sealed record NashResponse(IReadOnlyList<double> Powers, NashBargainingSolution Solution)
{
    /// <summary>Builds the response from a validated problem.</summary>
    public static NashResponse Solve(NashBargainingProblem problem) => new(problem.Powers, NashBargainingSolver.Solve(problem));
}

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

/// <summary>One share that moves away from the optimum.</summary>
public sealed record RevisionViolationView(int Party, double Current, double Optimum, double Proposed, string Message);

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
