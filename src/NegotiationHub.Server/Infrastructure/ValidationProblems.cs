using System.Text.Json;
using System.Text.RegularExpressions;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Server.Infrastructure;

/// <summary>
/// Turns every kind of invalid input into an RFC 7807 validation problem (HTTP 400) whose
/// <c>errors</c> are keyed by the camelCase path of the offending field.
/// </summary>
public static partial class ValidationProblems
{
    /// <summary>The problem for broken model rules.</summary>
    public static IResult From(ModelValidationException exception) => From(exception.Errors);

    /// <summary>The problem for a list of field errors.</summary>
    public static IResult From(IEnumerable<FieldError> errors)
    {
        var list = errors.ToList();
        var byField = list
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        // Beside the English messages, each rule as a stable code with its figures, which clients translate.
        var coded = list.Select(e => new FieldErrorView(e.Field, e.Code, e.Args, e.Message)).ToList();
        return TypedResults.ValidationProblem(byField, title: "One or more inputs are invalid.",
            extensions: new Dictionary<string, object?> { ["fieldErrors"] = coded });
    }

    /// <summary>The problem for one field.</summary>
    public static IResult Field(string field, string message) => From([new FieldError(field, message)]);

    /// <summary>The problem for a body that is not valid JSON of the expected shape.</summary>
    public static IResult From(JsonException exception) => From([JsonError(exception)]);

    /// <summary>A JSON shape error as a field error: the field from the path, the expected type as the code's argument.</summary>
    public static FieldError JsonError(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (message, expected, values) = DescribeJsonError(exception.Message);
        var args = new Dictionary<string, string> { ["expected"] = expected };
        if (values is not null)
        {
            args["values"] = values;
        }

        return new FieldError(FieldFromPath(exception.Path), message) { Code = FieldErrorCodes.Type, Args = args };
    }

    /// <summary>Converts a System.Text.Json path (<c>$.utilities[1].kind</c>) to a field name (<c>utilities[1].kind</c>).</summary>
    public static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static (string Message, string Expected, string? Values) DescribeJsonError(string message)
    {
        var match = TargetType().Match(message);
        if (!match.Success)
        {
            return message.Contains("invalid", StringComparison.OrdinalIgnoreCase) || message.Contains("expected", StringComparison.OrdinalIgnoreCase)
                ? ("is not valid JSON here", "json", null)
                : ("has a value of the wrong type", "other", null);
        }

        var type = match.Groups[1].Value;
        if (type.StartsWith("System.Nullable`1[", StringComparison.Ordinal))
        {
            type = type["System.Nullable`1[".Length..].TrimEnd(']');
        }

        if (FindEnum(type) is { } enumType)
        {
            var names = string.Join(", ", Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName));
            return ($"must be one of {names}", "oneOf", names);
        }

        return type switch
        {
            _ when type.StartsWith("System.Double", StringComparison.Ordinal) => ("must be a number", "number", null),
            _ when type.StartsWith("System.Int32", StringComparison.Ordinal) || type.StartsWith("System.Int64", StringComparison.Ordinal) => ("must be a whole number", "wholeNumber", null),
            _ when type.StartsWith("System.Boolean", StringComparison.Ordinal) => ("must be true or false", "boolean", null),
            _ when type.StartsWith("System.Guid", StringComparison.Ordinal) => ("must be a GUID", "guid", null),
            _ when type.StartsWith("System.String", StringComparison.Ordinal) => ("must be a string", "string", null),
            _ when type.Contains("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) => ("must be an array", "array", null),
            _ => ("has a value of the wrong type", "other", null),
        };
    }

    private static Type? FindEnum(string fullName) =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.FullName?.StartsWith("NegotiationHub", StringComparison.Ordinal) == true)
            .Select(a => a.GetType(fullName, throwOnError: false))
            .FirstOrDefault(t => t is { IsEnum: true });

    [GeneratedRegex(@"converted to ([\w.`\[\],\s]+?)\.\s*Path", RegexOptions.CultureInvariant)]
    private static partial Regex TargetType();
}

/// <summary>One broken rule in a validation problem's <c>fieldErrors</c>: the field's path, the rule's stable code and figures, and its English text.</summary>
public sealed record FieldErrorView(string Field, string Code, IReadOnlyDictionary<string, string> Args, string Message);
