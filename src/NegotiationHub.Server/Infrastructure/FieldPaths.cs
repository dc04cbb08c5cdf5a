using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Server.Infrastructure;

/// <summary>
/// Re-roots the field names of a model's validation errors at the JSON path where the client sent
/// the model's input (ADR 0001: the field is the path the client sent).
/// </summary>
public static class FieldPaths
{
    /// <summary>Runs <paramref name="compute"/>; its error fields become <c>{path}.{field}</c>.</summary>
    public static T Under<T>(string path, Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (ModelValidationException exception)
        {
            throw new ModelValidationException([.. exception.Errors.Select(e => e with { Field = $"{path}.{e.Field}" })]);
        }
    }

    /// <summary>
    /// Runs <paramref name="compute"/>; error fields rooted at <paramref name="from"/> (e.g. <c>matrix[1][2]</c>)
    /// are rooted at <paramref name="to"/> instead (<c>indicatorMatrices[0][1][2]</c>), in fields and messages.
    /// </summary>
    public static T Renamed<T>(string from, string to, Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (ModelValidationException exception)
        {
            throw new ModelValidationException([.. exception.Errors.Select(e => new FieldError(
                e.Field == from || e.Field.StartsWith(from + "[", StringComparison.Ordinal) ? to + e.Field[from.Length..] : e.Field,
                e.Message.Replace(from + "[", to + "[", StringComparison.Ordinal)))]);
        }
    }
}
