using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Bargaining.Power;

/// <summary>
/// The inputs of MODEL §1: every party's strength on every factor, and the factor weights —
/// either one weight vector shared by all parties (<c>weights</c>) or one per party
/// (<c>partyWeights</c>). Validated on construction.
/// </summary>
public sealed class BargainingPowerInput
{
    private readonly double[][] _strengths;
    private readonly double[][] _partyWeights;

    /// <summary>Creates and validates the input.</summary>
    /// <param name="strengths">Strengths <c>I[i][p]</c> in [1e−100, 1e100]: n = 2..16 parties × m = 1..32 factors.</param>
    /// <param name="weights">Common factor weights <c>π_p &gt; 0</c>, summing to 1; or null when <paramref name="partyWeights"/> is given.</param>
    /// <param name="partyWeights">Per-party weights <c>π[i][p] &gt; 0</c>, each row summing to 1; or null.</param>
    /// <exception cref="ModelValidationException">A rule of MODEL §1 is broken; the error names the field.</exception>
    public BargainingPowerInput(
        IReadOnlyList<IReadOnlyList<double>>? strengths,
        IReadOnlyList<double>? weights = null,
        IReadOnlyList<IReadOnlyList<double>>? partyWeights = null)
    {
        var rows = Guard.Count(strengths, "strengths", ModelLimits.MinParties, ModelLimits.MaxParties);
        var n = rows.Length;
        var m = -1;
        _strengths = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var field = $"strengths[{i}]";
            var row = i == 0
                ? Guard.Count(rows[i], field, 1, ModelLimits.MaxFactors)
                : Guard.Length(rows[i], field, m, "factor");
            m = row.Length;
            _strengths[i] = Guard.AllMagnitudes(row, field);
        }

        if ((weights is null) == (partyWeights is null))
        {
            throw new ModelValidationException("weights", "give either weights (one per factor) or partyWeights (one row per party), not both and not neither");
        }

        _partyWeights = new double[n][];
        if (weights is not null)
        {
            var common = Guard.SumsToOne(Guard.AllPositive(Guard.Length(weights, "weights", m, "factor"), "weights"), "weights");
            for (var i = 0; i < n; i++)
            {
                _partyWeights[i] = common;
            }
        }
        else
        {
            var table = Guard.Length(partyWeights!, "partyWeights", n, "party");
            for (var i = 0; i < n; i++)
            {
                var field = $"partyWeights[{i}]";
                _partyWeights[i] = Guard.SumsToOne(Guard.AllPositive(Guard.Length(table[i], field, m, "factor"), field), field);
            }
        }

        Parties = n;
        Factors = m;
    }

    /// <summary>Number of parties n.</summary>
    public int Parties { get; }

    /// <summary>Number of factors m.</summary>
    public int Factors { get; }

    /// <summary>Strength <c>I[i][p]</c> of party i on factor p.</summary>
    public double Strength(int party, int factor) => _strengths[party][factor];

    /// <summary>Weight <c>π[i][p]</c> of factor p for party i.</summary>
    public double Weight(int party, int factor) => _partyWeights[party][factor];
}

/// <summary>The result of MODEL §1 for every party.</summary>
/// <param name="Ratios">Strength ratios <c>l[i][p] = I[i][p] / mean_{j≠i} I[j][p]</c>.</param>
/// <param name="RawPower">Raw power <c>H_i = Σ_p π[i][p]·l[i][p]</c>.</param>
/// <param name="Power">Bargaining power <c>h_i = H_i / Σ_j H_j</c>; each in (0, 1), summing to 1.</param>
public sealed record BargainingPowerResult(
    IReadOnlyList<IReadOnlyList<double>> Ratios,
    IReadOnlyList<double> RawPower,
    IReadOnlyList<double> Power);

/// <summary>Bargaining power h_i from factor strengths and weights (MODEL §1, seed 000 §3.3-2).</summary>
public static class BargainingPower
{
    /// <summary>Computes strength ratios, raw power and normalized bargaining power.</summary>
    public static BargainingPowerResult Compute(BargainingPowerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var n = input.Parties;
        var m = input.Factors;

        // The others' sum of each column, Σ_{j≠i} I_j = (I_0 + … + I_{i−1}) + (I_{i+1} + … + I_{n−1}),
        // from prefix and suffix sums: added, never subtracted, so a strength far above the rest of
        // its column cannot cancel the others away (issue 19).
        var others = new double[n][];
        for (var i = 0; i < n; i++)
        {
            others[i] = new double[m];
        }

        for (var p = 0; p < m; p++)
        {
            var prefix = 0.0;
            for (var i = 0; i < n; i++)
            {
                others[i][p] = prefix;
                prefix += input.Strength(i, p);
            }

            var suffix = 0.0;
            for (var i = n - 1; i >= 0; i--)
            {
                others[i][p] += suffix;
                suffix += input.Strength(i, p);
            }
        }

        var ratios = new double[n][];
        var raw = new double[n];
        for (var i = 0; i < n; i++)
        {
            ratios[i] = new double[m];
            for (var p = 0; p < m; p++)
            {
                // l = I / mean_{j≠i} I_j = I·(n − 1) / Σ_{j≠i} I_j
                ratios[i][p] = input.Strength(i, p) * (n - 1) / others[i][p];
                raw[i] += input.Weight(i, p) * ratios[i][p];
            }
        }

        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            total += raw[i];
        }

        var power = new double[n];
        for (var i = 0; i < n; i++)
        {
            power[i] = raw[i] / total;
            if (!(power[i] >= ModelLimits.MinMagnitude))
            {
                throw new ModelValidationException("strengths",
                    $"are too far apart: party {i}'s bargaining power would be {Guard.Format(power[i])}, below {Guard.Format(ModelLimits.MinMagnitude)}; bring the parties' strengths within a narrower range");
            }
        }

        return new BargainingPowerResult(ratios, raw, power);
    }

    /// <summary>Convenience: only the normalized powers h_i.</summary>
    public static double[] Powers(BargainingPowerInput input) => [.. Compute(input).Power];
}
