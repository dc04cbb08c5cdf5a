using NegotiationHub.Bargaining.Ahp;

namespace NegotiationHub.Server.Calculators;

/// <summary>The AHP result of one matrix (MODEL §6).</summary>
public record AhpMatrixResponse
{
    /// <summary>The principal eigenvector, summing to 1.</summary>
    public required IReadOnlyList<double> Weights { get; init; }

    /// <summary>λmax.</summary>
    public required double LambdaMax { get; init; }

    /// <summary>CI = (λmax − n)/(n − 1).</summary>
    public required double Ci { get; init; }

    /// <summary>CR = CI/RI(n).</summary>
    public required double Cr { get; init; }

    /// <summary>Saaty's RI(n).</summary>
    public required double Ri { get; init; }

    /// <summary>CR &lt; 0.10.</summary>
    public required bool Consistent { get; init; }

    /// <summary>The judgement that departs most from the weights; null for n = 1.</summary>
    public required AhpJudgementView? WorstJudgement { get; init; }

    /// <summary>The view of <paramref name="result"/>, whose matrix the client sent as <paramref name="field"/>.</summary>
    public static AhpMatrixResponse From(AhpResult result, string field)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new AhpMatrixResponse
        {
            Weights = result.Weights,
            LambdaMax = result.LambdaMax,
            Ci = result.ConsistencyIndex,
            Cr = result.ConsistencyRatio,
            Ri = result.RandomIndex,
            Consistent = result.IsConsistent,
            WorstJudgement = result.WorstJudgement is { } w
                ? new AhpJudgementView(w.Row, w.Column, $"{field}[{w.Row}][{w.Column}]", w.Value, w.ImpliedRatio, w.SuggestedValue, w.Departure)
                : null,
        };
    }
}
