using NegotiationHub.Bargaining.Nash;
using NegotiationHub.Bargaining.Power;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Server.Calculators;

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
