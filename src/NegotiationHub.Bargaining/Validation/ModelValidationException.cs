namespace NegotiationHub.Bargaining.Validation;

/// <summary>One broken validation rule: the input field (camelCase path, e.g. <c>strengths[2][0]</c>) and the rule it breaks.</summary>
/// <param name="Field">The input's name in MODEL.md's words, with indices, e.g. <c>weights[1]</c>.</param>
/// <param name="Message">The rule that was broken, in plain (English) words.</param>
public sealed record FieldError(string Field, string Message)
{
    /// <summary>
    /// The rule as a stable code a client translates (<see cref="FieldErrorCodes"/>), with
    /// <see cref="Args"/> for its numbers; <c>invalid</c> when the rule has no code of its own
    /// (then only <see cref="Message"/> says it).
    /// </summary>
    public string Code { get; init; } = FieldErrorCodes.Of(Message);

    /// <summary>The rule's figures by name (e.g. <c>min</c>, <c>max</c>), formatted invariantly; empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Args { get; init; } = FieldErrorCodes.NoArgs;
}

/// <summary>The stable codes of <see cref="FieldError.Code"/>: part of the REST contract, never renamed.</summary>
public static class FieldErrorCodes
{
    /// <summary>A rule without a code of its own: the message says it.</summary>
    public const string Invalid = "invalid";

    /// <summary>The input is missing.</summary>
    public const string Required = "required";

    /// <summary>Not a finite number.</summary>
    public const string Finite = "finite";

    /// <summary>Must be &gt; 0.</summary>
    public const string Positive = "positive";

    /// <summary>Must be ≥ 0.</summary>
    public const string NonNegative = "nonNegative";

    /// <summary>Must lie in an interval: args <c>min</c>, <c>max</c>, <c>lo</c> ("[" or "("), <c>hi</c> ("]" or ")").</summary>
    public const string Range = "range";

    /// <summary>A list's length must lie in [<c>min</c>, <c>max</c>]; args <c>min</c>, <c>max</c>, <c>count</c>.</summary>
    public const string Count = "count";

    /// <summary>One entry per <c>what</c> (party, factor…): args <c>expected</c>, <c>what</c>, <c>count</c>.</summary>
    public const string Length = "length";

    /// <summary>Must sum to 1: arg <c>sum</c>.</summary>
    public const string SumToOne = "sumToOne";

    /// <summary>The JSON value has the wrong type: arg <c>expected</c> (number, wholeNumber, boolean, guid, string, array, json, oneOf) and, for oneOf, <c>values</c>.</summary>
    public const string Type = "type";

    internal static readonly IReadOnlyDictionary<string, string> NoArgs = new Dictionary<string, string>();

    /// <summary>The code of a rule given only as its fixed wording (thrown in many places as text); <see cref="Invalid"/> for any other.</summary>
    internal static string Of(string message) => message switch
    {
        "is required" => Required,
        "must be a finite number" => Finite,
        "must be greater than 0" => Positive,
        "must not be negative" => NonNegative,
        _ => Invalid,
    };
}

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

    /// <summary>Creates the exception for a single field, with the rule's stable code and figures.</summary>
    public ModelValidationException(string field, string message, string code, IReadOnlyDictionary<string, string>? args = null)
        : this([new FieldError(field, message) { Code = code, Args = args ?? FieldErrorCodes.NoArgs }])
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
