namespace NegotiationHub.Bargaining.Validation;

/// <summary>
/// The validation rules shared by every model. Each method throws
/// <see cref="ModelValidationException"/> naming the field and the rule; none returns a value
/// that would let a NaN through.
/// </summary>
public static class Guard
{
    /// <summary>Absolute tolerance used when a set of weights or shares must sum to 1.</summary>
    public const double SumTolerance = 1e-6;

    /// <summary>Requires a finite number (not NaN, not ±∞).</summary>
    public static double Finite(double value, string field)
    {
        if (!double.IsFinite(value))
        {
            throw new ModelValidationException(field, "must be a finite number", FieldErrorCodes.Finite);
        }

        return value;
    }

    /// <summary>Requires a finite number &gt; 0.</summary>
    public static double Positive(double value, string field)
    {
        Finite(value, field);
        if (value <= 0)
        {
            throw new ModelValidationException(field, "must be greater than 0", FieldErrorCodes.Positive);
        }

        return value;
    }

    /// <summary>Requires a finite number ≥ 0.</summary>
    public static double NonNegative(double value, string field)
    {
        Finite(value, field);
        if (value < 0)
        {
            throw new ModelValidationException(field, "must not be negative", FieldErrorCodes.NonNegative);
        }

        return value;
    }

    /// <summary>Requires a finite number in [min, max] (or (min, max] / [min, max) when an end is open).</summary>
    public static double InRange(double value, string field, double min, double max, bool minOpen = false, bool maxOpen = false)
    {
        Finite(value, field);
        var belowMin = minOpen ? value <= min : value < min;
        var aboveMax = maxOpen ? value >= max : value > max;
        if (belowMin || aboveMax)
        {
            var lo = minOpen ? "(" : "[";
            var hi = maxOpen ? ")" : "]";
            throw new ModelValidationException(field, $"must lie in {lo}{Format(min)}, {Format(max)}{hi}", FieldErrorCodes.Range,
                new Dictionary<string, string> { ["min"] = Format(min), ["max"] = Format(max), ["lo"] = lo, ["hi"] = hi });
        }

        return value;
    }

    /// <summary>Requires a magnitude (K, I, s, ρ) in [<see cref="ModelLimits.MinMagnitude"/>, <see cref="ModelLimits.MaxMagnitude"/>].</summary>
    public static double Magnitude(double value, string field) =>
        InRange(value, field, ModelLimits.MinMagnitude, ModelLimits.MaxMagnitude);

    /// <summary>Requires every entry to be a magnitude (<see cref="Magnitude"/>); names the first offending index.</summary>
    public static double[] AllMagnitudes(IReadOnlyList<double> values, string field)
    {
        for (var i = 0; i < values.Count; i++)
        {
            Magnitude(values[i], $"{field}[{i}]");
        }

        return [.. values];
    }

    /// <summary>Requires a non-null collection whose length lies in [min, max].</summary>
    public static T[] Count<T>(IReadOnlyList<T>? values, string field, int min, int max)
    {
        if (values is null)
        {
            throw new ModelValidationException(field, "is required", FieldErrorCodes.Required);
        }

        if (values.Count < min || values.Count > max)
        {
            throw new ModelValidationException(field, min == max
                ? $"must have exactly {min} entries (has {values.Count})"
                : $"must have between {min} and {max} entries (has {values.Count})", FieldErrorCodes.Count,
                new Dictionary<string, string> { ["min"] = Whole(min), ["max"] = Whole(max), ["count"] = Whole(values.Count) });
        }

        return [.. values];
    }

    /// <summary>Requires a collection of exactly <paramref name="expected"/> entries, e.g. one per party.</summary>
    public static T[] Length<T>(IReadOnlyList<T>? values, string field, int expected, string what)
    {
        if (values is null)
        {
            throw new ModelValidationException(field, "is required", FieldErrorCodes.Required);
        }

        if (values.Count != expected)
        {
            throw new ModelValidationException(field, $"must have one entry per {what} ({expected}), has {values.Count}", FieldErrorCodes.Length,
                new Dictionary<string, string> { ["expected"] = Whole(expected), ["what"] = what, ["count"] = Whole(values.Count) });
        }

        return [.. values];
    }

    /// <summary>Requires every entry to be finite and &gt; 0; names the first offending index.</summary>
    public static double[] AllPositive(IReadOnlyList<double> values, string field)
    {
        for (var i = 0; i < values.Count; i++)
        {
            Positive(values[i], $"{field}[{i}]");
        }

        return [.. values];
    }

    /// <summary>Requires every entry to be finite and ≥ 0; names the first offending index.</summary>
    public static double[] AllNonNegative(IReadOnlyList<double> values, string field)
    {
        for (var i = 0; i < values.Count; i++)
        {
            NonNegative(values[i], $"{field}[{i}]");
        }

        return [.. values];
    }

    /// <summary>Requires every entry to be finite; names the first offending index.</summary>
    public static double[] AllFinite(IReadOnlyList<double> values, string field)
    {
        for (var i = 0; i < values.Count; i++)
        {
            Finite(values[i], $"{field}[{i}]");
        }

        return [.. values];
    }

    /// <summary>Requires finite non-negative entries that sum to 1 within <see cref="SumTolerance"/>.</summary>
    public static double[] SumsToOne(IReadOnlyList<double> values, string field)
    {
        AllNonNegative(values, field);
        var sum = values.Sum();
        if (Math.Abs(sum - 1) > SumTolerance)
        {
            throw new ModelValidationException(field, $"must sum to 1 (sums to {Format(sum)})", FieldErrorCodes.SumToOne, new Dictionary<string, string> { ["sum"] = Format(sum) });
        }

        return [.. values];
    }

    /// <summary>Formats a number for an error message (invariant culture, up to 10 significant digits).</summary>
    public static string Format(double value) => value.ToString("G10", System.Globalization.CultureInfo.InvariantCulture);

    private static string Whole(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
