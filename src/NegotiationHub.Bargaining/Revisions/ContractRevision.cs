using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Revisions;

/// <summary>One share that a proposed revision would move away from the optimum.</summary>
/// <param name="Party">The party index i.</param>
/// <param name="Current">s_i.</param>
/// <param name="Optimum">s*_i.</param>
/// <param name="Proposed">s'_i, outside [min(s_i, s*_i), max(s_i, s*_i)].</param>
public sealed record RevisionViolation(int Party, double Current, double Optimum, double Proposed)
{
    /// <summary>A sentence naming the party and the interval it should lie in.</summary>
    public string Describe() =>
        $"share {Guard.Format(Proposed)} for party {Party} must lie between the current {Guard.Format(Current)} and the optimum {Guard.Format(Optimum)}";
}

/// <summary>The check of a proposed revision against MODEL §5.</summary>
/// <param name="Valid">True when every share moves toward the optimum (or stays).</param>
/// <param name="Violations">The shares that move away, in party order.</param>
/// <param name="DistanceBefore">Σ|s_i − s*_i|.</param>
/// <param name="DistanceAfter">Σ|s'_i − s*_i| (≤ DistanceBefore when valid).</param>
public sealed record RevisionCheck(bool Valid, IReadOnlyList<RevisionViolation> Violations, double DistanceBefore, double DistanceAfter);

/// <summary>
/// Contract revision (MODEL §5, seed 000 §3.2-2): a revision s' is valid only if every s'_i lies
/// between the current s_i and the optimum s*_i, inclusive. Partial adjustment
/// <c>s' = s + λ(s* − s)</c> always satisfies it and converges to s*.
/// </summary>
public static class ContractRevision
{
    /// <summary>Absolute slack allowed when checking "between" (rounding of stored shares).</summary>
    public const double Slack = 1e-12;

    /// <summary>Validates a share vector: n = 2..16 entries, each in [0, 1], summing to 1.</summary>
    public static double[] ValidateShares(IReadOnlyList<double>? shares, string field, int? parties = null)
    {
        var values = parties is { } n
            ? Guard.Length(shares, field, n, "party")
            : Guard.Count(shares, field, ModelLimits.MinParties, ModelLimits.MaxParties);
        for (var i = 0; i < values.Length; i++)
        {
            Guard.InRange(values[i], $"{field}[{i}]", 0, 1);
        }

        return Guard.SumsToOne(values, field);
    }

    /// <summary>Checks a proposed revision against the monotone rule.</summary>
    public static RevisionCheck Check(IReadOnlyList<double> current, IReadOnlyList<double> optimum, IReadOnlyList<double> proposed)
    {
        var s = ValidateShares(current, "currentShares");
        var star = ValidateShares(optimum, "optimalShares", s.Length);
        var next = ValidateShares(proposed, "proposedShares", s.Length);

        var violations = new List<RevisionViolation>();
        double before = 0, after = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var lo = Math.Min(s[i], star[i]) - Slack;
            var hi = Math.Max(s[i], star[i]) + Slack;
            if (next[i] < lo || next[i] > hi)
            {
                violations.Add(new RevisionViolation(i, s[i], star[i], next[i]));
            }

            before += Math.Abs(s[i] - star[i]);
            after += Math.Abs(next[i] - star[i]);
        }

        return new RevisionCheck(violations.Count == 0, violations, before, after);
    }

    /// <summary>Throws unless the proposed revision moves every share toward the optimum.</summary>
    /// <exception cref="ModelValidationException">Names <c>proposedShares[i]</c> for each offending share.</exception>
    public static void RequireValid(IReadOnlyList<double> current, IReadOnlyList<double> optimum, IReadOnlyList<double> proposed)
    {
        var check = Check(current, optimum, proposed);
        if (!check.Valid)
        {
            throw new ModelValidationException(check.Violations
                .Select(v => new FieldError($"proposedShares[{v.Party}]", v.Describe() + " (a revision may not move a share away from the optimum)"))
                .ToArray());
        }
    }

    /// <summary>Partial adjustment <c>s' = s + λ(s* − s)</c>, 0 &lt; λ ≤ 1.</summary>
    public static double[] PartialAdjustment(IReadOnlyList<double> current, IReadOnlyList<double> optimum, double lambda)
    {
        var s = ValidateShares(current, "currentShares");
        var star = ValidateShares(optimum, "optimalShares", s.Length);
        Guard.InRange(lambda, "lambda", 0, 1, minOpen: true);
        var next = new double[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            next[i] = s[i] + (lambda * (star[i] - s[i]));
        }

        return next;
    }
}
