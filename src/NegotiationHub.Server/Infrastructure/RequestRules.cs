using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Server.Infrastructure;

/// <summary>Validation rules for request fields that are not numbers (numbers use <see cref="Guard"/>).</summary>
public static class RequestRules
{
    /// <summary>Requires a non-blank string of at most <paramref name="maxLength"/> characters; returns it trimmed.</summary>
    public static string Text(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ModelValidationException(field, "is required");
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            throw new ModelValidationException(field, $"must be at most {maxLength} characters");
        }

        if (trimmed.Any(char.IsControl))
        {
            throw new ModelValidationException(field, "must not contain control characters");
        }

        return trimmed;
    }

    /// <summary>Like <see cref="Text"/> but null/blank gives null.</summary>
    public static string? OptionalText(string? value, string field, int maxLength = 2000) =>
        string.IsNullOrWhiteSpace(value) ? null : Text(value, field, maxLength);

    /// <summary>Requires a value.</summary>
    public static T Required<T>(T? value, string field)
        where T : struct =>
        value ?? throw new ModelValidationException(field, "is required");

    /// <summary>Requires a whole number in [min, max].</summary>
    public static int Range(int? value, string field, int min, int max)
    {
        var v = Required(value, field);
        if (v < min || v > max)
        {
            throw new ModelValidationException(field, $"must lie in [{min}, {max}]");
        }

        return v;
    }
}
