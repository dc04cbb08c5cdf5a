using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using NegotiationHub.Bargaining.Validation;

namespace NegotiationHub.Server.Infrastructure;

/// <summary>
/// Reads a JSON request body and runs a computation on it, mapping every failure to a 400
/// problem naming the field: malformed JSON, wrong types, a missing body, and broken model rules.
/// Binding is done here, not by the framework, so that the error shape is the same on every endpoint.
/// </summary>
public static class JsonBody
{
    /// <summary>Reads <typeparamref name="TRequest"/> and returns 200 with the result of <paramref name="compute"/>.</summary>
    public static async Task<IResult> HandleAsync<TRequest, TResponse>(HttpContext context, Func<TRequest, TResponse> compute)
        where TRequest : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(compute);
        var read = await ReadAsync<TRequest>(context);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        TResponse result;
        try
        {
            result = compute(read.Value!);
        }
        catch (ModelValidationException exception)
        {
            return ValidationProblems.From(exception);
        }

        return Finite(context, result);
    }

    /// <summary>
    /// 200 with <paramref name="result"/> as JSON, written with strict number handling: a result
    /// holding a non-finite number (which MODEL.md never allows) is a 422 problem naming the
    /// output field, never "Infinity" or "NaN" in a success (issue 19).
    /// </summary>
    public static IResult Finite<TResponse>(HttpContext context, TResponse result)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var strict = StrictOptions.GetValue(options, o => new JsonSerializerOptions(o) { NumberHandling = JsonNumberHandling.Strict });
        try
        {
            return TypedResults.Bytes(JsonSerializer.SerializeToUtf8Bytes(result, strict), "application/json");
        }
        catch (ArgumentException)
        {
            var field = NonFinitePath(JsonSerializer.SerializeToNode(result, options), "") ?? "result";
            return TypedResults.Problem(
                title: "The result cannot be represented.",
                detail: $"{field} is not a finite number for these inputs. Express the inputs in units closer to 1 (MODEL.md's bounds are in the API description).",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["field"] = field });
        }
    }

    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> StrictOptions = [];

    private static string? NonFinitePath(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (NonFinitePath(child, path.Length == 0 ? name : $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (NonFinitePath(array[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValue value when value.TryGetValue<double>(out var number):
                return double.IsFinite(number) ? null : path;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return text is "NaN" or "Infinity" or "-Infinity" ? path : null;
            default:
                return null;
        }
    }

    /// <summary>Reads <typeparamref name="TRequest"/> and returns what <paramref name="handle"/> returns; model rule failures become 400s.</summary>
    public static async Task<IResult> HandleAsync<TRequest>(HttpContext context, Func<TRequest, Task<IResult>> handle)
        where TRequest : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handle);
        var read = await ReadAsync<TRequest>(context);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        try
        {
            return await handle(read.Value!);
        }
        catch (ModelValidationException exception)
        {
            return ValidationProblems.From(exception);
        }
    }

    /// <summary>Reads and deserializes the body; on failure returns the problem to send instead.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(
                title: "Unsupported media type.",
                detail: "Send the request body as application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await context.Request.ReadFromJsonAsync<T>(options, context.RequestAborted);
            return value is null ? (null, ValidationProblems.Field("body", "is required")) : (value, null);
        }
        catch (JsonException exception)
        {
            return (null, ValidationProblems.From(exception));
        }
        catch (BadHttpRequestException exception)
        {
            return (null, TypedResults.Problem(
                title: "The request body could not be read.",
                detail: exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : exception.Message,
                statusCode: exception.StatusCode));
        }
    }
}
