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
        var byField = errors
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return TypedResults.ValidationProblem(byField, title: "One or more inputs are invalid.");
    }

    /// <summary>The problem for one field.</summary>
    public static IResult Field(string field, string message) => From([new FieldError(field, message)]);

    /// <summary>The problem for a body that is not valid JSON of the expected shape.</summary>
    public static IResult From(JsonException exception)
    {
        var field = FieldFromPath(exception.Path);
        return Field(field, DescribeJsonError(exception.Message));
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

    private static string DescribeJsonError(string message)
    {
        var match = TargetType().Match(message);
        if (!match.Success)
        {
            return message.Contains("invalid", StringComparison.OrdinalIgnoreCase) || message.Contains("expected", StringComparison.OrdinalIgnoreCase)
                ? "is not valid JSON here"
                : "has a value of the wrong type";
        }

        var type = match.Groups[1].Value;
        if (type.StartsWith("System.Nullable`1[", StringComparison.Ordinal))
        {
            type = type["System.Nullable`1[".Length..].TrimEnd(']');
        }

        if (FindEnum(type) is { } enumType)
        {
            var names = Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName);
            return $"must be one of {string.Join(", ", names)}";
        }

        return type switch
        {
            _ when type.StartsWith("System.Double", StringComparison.Ordinal) => "must be a number",
            _ when type.StartsWith("System.Int32", StringComparison.Ordinal) || type.StartsWith("System.Int64", StringComparison.Ordinal) => "must be a whole number",
            _ when type.StartsWith("System.Boolean", StringComparison.Ordinal) => "must be true or false",
            _ when type.StartsWith("System.Guid", StringComparison.Ordinal) => "must be a GUID",
            _ when type.StartsWith("System.String", StringComparison.Ordinal) => "must be a string",
            _ when type.Contains("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) => "must be an array",
            _ => "has a value of the wrong type",
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
