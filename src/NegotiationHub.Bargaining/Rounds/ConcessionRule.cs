using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Rounds;

/// <summary>
/// Who must concede, and how a late party is conceded for (MODEL §4).
/// </summary>
public static class ConcessionRule
{
    /// <summary>The default auto-concession fraction λ = 0.5.</summary>
    public const double DefaultLambda = 0.5;

    /// <summary>Relative tolerance under which two ratios ρ count as tied.</summary>
    public const double TieTolerance = 1e-9;

    /// <summary>
    /// The parties with the largest ratio ρ_i = q_i(D_i)/h_i (all of them when tied): they have the
    /// most to lose relative to their power, so they concede next.
    /// </summary>
    public static IReadOnlyList<int> MustConcede(IReadOnlyList<double> ratios)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        var max = double.NegativeInfinity;
        foreach (var r in ratios)
        {
            max = Math.Max(max, r);
        }

        var tolerance = TieTolerance * Math.Max(Math.Abs(max), 1e-300);
        var result = new List<int>();
        for (var i = 0; i < ratios.Count; i++)
        {
            if (max - ratios[i] <= tolerance)
            {
                result.Add(i);
            }
        }

        return result;
    }

    /// <summary>
    /// Moves a demand a fraction λ of the way toward the party's NBS target:
    /// <c>D' = D + λ(k* − D)</c>. With 0 &lt; λ ≤ 1 it never moves away from the target.
    /// </summary>
    /// <exception cref="ModelValidationException">λ is outside (0, 1].</exception>
    public static double AutoConcede(double demand, double target, double lambda = DefaultLambda)
    {
        ValidateLambda(lambda);
        return demand + (lambda * (target - demand));
    }

    /// <summary>Validates an auto-concession fraction λ ∈ (0, 1].</summary>
    public static double ValidateLambda(double lambda, string field = "lambda") =>
        Guard.InRange(lambda, field, 0, 1, minOpen: true);
}
