using System.Text.Json;
using System.Text.Json.Serialization;

namespace NegotiationHub.Contracts;

/// <summary>
/// Writes a contract enum as its camelCase name (<c>"government"</c>, <c>"sealed"</c>) and reads
/// only names, never numbers: the wire stays readable for the browser client and does not break
/// if members are reordered. Applied with <c>[JsonConverter]</c> on each contract enum so it holds
/// whatever serializer options the server or client use.
/// </summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
public sealed class JsonCamelCaseEnumConverter<TEnum>()
    : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
