namespace NegotiationHub.Bargaining.Validation;

/// <summary>One broken validation rule: the input field (camelCase path, e.g. <c>strengths[2][0]</c>) and the rule it breaks.</summary>
/// <param name="Field">The input's name in MODEL.md's words, with indices, e.g. <c>weights[1]</c>.</param>
/// <param name="Message">The rule that was broken, in plain words.</param>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// Thrown when a model input breaks a rule of MODEL.md. Every "must" in MODEL.md is such a rule;
/// the models never return NaN for bad input, they throw this instead.
/// </summary>
public sealed class ModelValidationException : ArgumentException
{
    /// <summary>Creates the exception from one or more field errors (at least one).</summary>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    public ModelValidationException(IReadOnlyList<FieldError> errors)
        : base(Describe(errors), errors.Count > 0 ? errors[0].Field : null)
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for a single field.</summary>
    public ModelValidationException(string field, string message)
        : this([new FieldError(field, message)])
    {
    }

    /// <summary>The broken rules, one per field, in input order.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    private static string Describe(IReadOnlyList<FieldError> errors)
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one field error is required.", nameof(errors));
        }

        return string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
    }
}
