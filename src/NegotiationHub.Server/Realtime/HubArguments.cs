using System.Globalization;
using System.Text.Json;
using NegotiationHub.Bargaining.Validation;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Realtime;

/// <summary>
/// Reads the hub's arguments from their JSON as sent, so a value of the wrong JSON type is refused
/// with an error naming its field (a <see cref="ModelValidationException"/>, which the guard turns
/// into a <c>HubException</c>) instead of SignalR's generic binding failure. Browsers send
/// <c>NaN</c> as <c>null</c> (<c>JSON.stringify</c>), and a form field's value as a string.
/// </summary>
public static class HubArguments
{
    public static Guid SessionId(JsonElement value) => Guid(value, "sessionId", "must be a GUID");

    public static int DeadlineSeconds(JsonElement value) => WholeNumber(value, "deadlineSeconds");

    /// <summary>A <see cref="BidSubmission"/> with every field of the right type; its values are validated where the bid is decided.</summary>
    public static BidSubmission Bid(JsonElement value)
    {
        if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw new ModelValidationException("bid", "is required");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ModelValidationException("bid", "must be an object with bidId, round, demand and optionally proposal");
        }

        return new BidSubmission
        {
            BidId = Guid(Property(value, "bidId"), "bidId", "must be a non-empty GUID chosen by the client"),
            Round = WholeNumber(Property(value, "round"), "round"),
            Demand = Number(Property(value, "demand"), "demand"),
            Proposal = Proposal(Property(value, "proposal")),
        };
    }

    private static double[]? Proposal(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.Array:
                var result = new double[value.GetArrayLength()];
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    result[i] = Number(item, FormattableString.Invariant($"proposal[{i}]"));
                    i++;
                }

                return result;
            default:
                throw new ModelValidationException("proposal", "must be a list of numbers, one per party");
        }
    }

    /// <summary>A JSON number, or one of the named literals <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c> (refused later as not finite).</summary>
    private static double Number(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when value.GetString() is "NaN" => double.NaN,
        JsonValueKind.String when value.GetString() is "Infinity" => double.PositiveInfinity,
        JsonValueKind.String when value.GetString() is "-Infinity" => double.NegativeInfinity,
        JsonValueKind.Undefined => throw new ModelValidationException(field, "must be a finite number; it is missing"),
        JsonValueKind.Null => throw new ModelValidationException(field, "must be a finite number, not null (JavaScript sends NaN as null)"),
        JsonValueKind.String => throw new ModelValidationException(field, "must be a finite number, not text"),
        _ => throw new ModelValidationException(field, $"must be a finite number, not {Describe(value.ValueKind)}"),
    };

    private static int WholeNumber(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new ModelValidationException(field, value.ValueKind == JsonValueKind.Undefined
                ? "must be a whole number; it is missing"
                : $"must be a whole number, not {(value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Describe(value.ValueKind))}");

    private static Guid Guid(JsonElement value, string field, string rule) =>
        value.ValueKind == JsonValueKind.String && System.Guid.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ModelValidationException(field, rule);

    /// <summary>A property by its camelCase name, matched case-insensitively as SignalR's JSON protocol does; Undefined when absent.</summary>
    private static JsonElement Property(JsonElement obj, string name)
    {
        if (obj.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return default;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.String => "text",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => kind.ToString(),
    };
}
