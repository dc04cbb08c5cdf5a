using System.Text.Json;
using System.Text.Json.Serialization;

namespace NegotiationHub.Server.Infrastructure;

/// <summary>The one JSON configuration of the API: camelCase, enums as camelCase strings.</summary>
public static class JsonSetup
{
    /// <summary>Applies the API's JSON rules to a serializer options instance.</summary>
    /// <remarks>
    /// Named floating-point literals ("NaN", "Infinity") are accepted on input so that they reach
    /// the model validators, which reject them with an error naming the field instead of a parse error.
    /// </remarks>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MaxDepth = 16;
    }
}
