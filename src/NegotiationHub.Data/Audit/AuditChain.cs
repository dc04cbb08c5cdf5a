using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Data.Audit;

/// <summary>
/// The hash chain's rules, shared by the server (append, verify) and the offline verifier:
/// <c>hash = SHA-256(canonical JSON of {actor, chain, payload, previousHash, sequence, time, type})</c>,
/// lower-case hex; the first entry's previous hash is 64 zeros.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of a chain's first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The chain of events that belong to no session (logins, user management).</summary>
    public const string GlobalChain = "global";

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    /// <summary>The chain name of a session.</summary>
    public static string ForSession(Guid sessionId) => sessionId.ToString("N");

    /// <summary>
    /// Times are kept to the millisecond so that a chain hashes the same after a round trip through
    /// any provider (PostgreSQL keeps microseconds, SQLite text keeps ticks).
    /// </summary>
    public static DateTime Truncate(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);

    /// <summary>
    /// <see cref="PayloadJson"/> with every object's properties in ordinal order of their JSON names:
    /// a payload made only of such objects, arrays and scalars serializes straight to its canonical
    /// text (<see cref="CanonicalPayload"/>).
    /// </summary>
    private static readonly JsonSerializerOptions SortedPayloadJson = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SortProperties } },
    };

    private static readonly ConcurrentDictionary<Type, bool> WritesCanonically = new();

    /// <summary>
    /// Serializes a payload to canonical JSON: object keys sorted ordinally, no whitespace. A payload
    /// whose type is made only of objects, arrays and scalars (the live path's anonymous payloads) is
    /// serialized once with its properties sorted; anything else (a dictionary, a JSON tree, a value
    /// typed <c>object</c>, a custom converter) is serialized, parsed and written again in order.
    /// </summary>
    public static string CanonicalPayload(object payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var type = payload.GetType();
        if (!WritesCanonically.GetOrAdd(type, static t => Sortable(SortedPayloadJson.GetTypeInfo(t), [])))
        {
            return CanonicalPayloadByParsing(payload);
        }

        using var scratch = ScratchJson.Rent();
        JsonSerializer.Serialize(scratch.Writer, payload, SortedPayloadJson.GetTypeInfo(type));
        return Encoding.UTF8.GetString(scratch.Written);
    }

    /// <summary>The general path of <see cref="CanonicalPayload"/> (serialize, parse, write in order), which the direct one must match.</summary>
    internal static string CanonicalPayloadByParsing(object payload) => CanonicalUtf8(JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson));

    private static void SortProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Properties.Count < 2)
        {
            return;
        }

        var sorted = info.Properties.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        info.Properties.Clear();
        for (var i = 0; i < sorted.Count; i++)
        {
            sorted[i].Order = i; // kept if the serializer orders by it
            info.Properties.Add(sorted[i]);
        }
    }

    /// <summary>Whether a type serializes with <see cref="SortedPayloadJson"/> to its canonical text: only sorted objects, arrays and scalars, all the way down.</summary>
    private static bool Sortable(JsonTypeInfo info, HashSet<Type> seen)
    {
        if (!seen.Add(info.Type))
        {
            return true; // already being checked further up
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.None:
                return Scalar(info.Type);
            case JsonTypeInfoKind.Enumerable:
                return info.ElementType is { } element && Sortable(SortedPayloadJson.GetTypeInfo(element), seen);
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties)
                {
                    if (property.CustomConverter is not null || property.IsExtensionData || !Sortable(SortedPayloadJson.GetTypeInfo(property.PropertyType), seen))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false; // a dictionary's keys are in its own order
        }
    }

    private static bool Scalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type == typeof(bool) || type == typeof(double) || type == typeof(float) || type == typeof(decimal)
            || type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte)
            || type == typeof(Guid) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type.IsEnum;
    }

    /// <summary>Canonical form of stored JSON text.</summary>
    public static string Canonical(string json) => CanonicalUtf8(Encoding.UTF8.GetBytes(json ?? throw new ArgumentNullException(nameof(json))));

    /// <summary>Canonical form of a JSON tree (e.g. row records built before they join a payload).</summary>
    public static string Canonical(JsonNode? node) => CanonicalUtf8(JsonSerializer.SerializeToUtf8Bytes(node));

    /// <summary>The hash an entry must carry, from its fields and its predecessor's hash.</summary>
    public static string ComputeHash(AuditEntry entry) => Hash(entry, payloadIsCanonical: false);

    /// <summary>
    /// <see cref="ComputeHash"/> for an entry whose payload this process just wrote in canonical form
    /// (<see cref="CanonicalPayload"/>, the row records): the payload goes into the hashed body as it
    /// is instead of being parsed and written again. Same value; a stored payload is never trusted so.
    /// </summary>
    internal static string ComputeHashOfCanonical(AuditEntry entry) => Hash(entry, payloadIsCanonical: true);

    private static string Hash(AuditEntry entry, bool payloadIsCanonical)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // The body's keys are written in their canonical (ordinal) order: actor, chain, payload, previousHash, sequence, time, type.
        using var scratch = ScratchJson.Rent();
        var writer = scratch.Writer;
        writer.WriteStartObject();
        writer.WriteString("actor", entry.Actor);
        writer.WriteString("chain", entry.Chain);
        writer.WritePropertyName("payload");
        if (payloadIsCanonical)
        {
            writer.WriteRawValue(entry.PayloadJson, skipInputValidation: true);
        }
        else
        {
            using var payload = JsonDocument.Parse(entry.PayloadJson);
            Write(payload.RootElement, writer);
        }

        writer.WriteString("previousHash", entry.PreviousHash);
        writer.WriteNumber("sequence", entry.Sequence);
        Span<char> time = stackalloc char[32];
        entry.TimeUtc.TryFormat(time, out var length, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        writer.WriteString("time", time[..length]);
        writer.WriteString("type", entry.Type);
        writer.WriteEndObject();

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(scratch.Written, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Checks a chain's entries (in sequence order): sequences 1, 2, 3…, each previous hash equal to
    /// its predecessor's hash, each hash equal to the recomputed one. Returns the first broken
    /// entry's sequence, or null when the chain is intact.
    /// </summary>
    public static long? FirstBroken(IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var previous = Genesis;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var expectedSequence = i + 1L;
            if (entry.Sequence != expectedSequence || entry.PreviousHash != previous || entry.Hash != ComputeHash(entry))
            {
                return Math.Min(entry.Sequence, expectedSequence);
            }

            previous = entry.Hash;
        }

        return null;
    }

    /// <summary>
    /// Adds a property to a canonical JSON object at its ordinal place, without parsing and writing
    /// the object again: <c>WithProperty("{\"a\":1,\"z\":2}", "m", "3")</c> is <c>{"a":1,"m":3,"z":2}</c>.
    /// Both texts must be canonical; an object that already has the property is an error.
    /// </summary>
    internal static string WithProperty(string canonicalObject, string name, string canonicalValue)
    {
        ArgumentNullException.ThrowIfNull(canonicalObject);
        ArgumentNullException.ThrowIfNull(canonicalValue);
        if (!PlainKey(name))
        {
            throw new ArgumentException("The property name must be ASCII letters.", nameof(name));
        }

        // One scan of the text's top level for the first key that sorts after the name; the result is
        // one string. Canonical text is ASCII (the default encoder escapes the rest), so a key without
        // an escape is its own value; one with an escape is compared by the reader's path.
        var text = canonicalObject.AsSpan();
        if (text.Length < 2 || text[0] != '{')
        {
            throw new ArgumentException("Not a JSON object.", nameof(canonicalObject));
        }

        var depth = 0;
        var keyNext = false;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"' when depth == 1 && keyNext:
                    var end = text[(i + 1)..].IndexOf('"');
                    var key = end < 0 ? default : text.Slice(i + 1, end);
                    if (end < 0 || key.Contains('\\'))
                    {
                        return WithPropertyByReader(canonicalObject, name, canonicalValue);
                    }

                    var order = key.SequenceCompareTo(name);
                    if (order == 0)
                    {
                        throw new ArgumentException($"The object already has a \"{name}\" property.", nameof(canonicalObject));
                    }

                    if (order > 0)
                    {
                        return Insert(canonicalObject, i, name, canonicalValue, comma: Comma.After);
                    }

                    keyNext = false;
                    i += end + 1;
                    break;
                case '"':
                    // A string value: skip to its closing quote (an escaped quote is not one).
                    for (i++; i < text.Length && text[i] != '"'; i++)
                    {
                        if (text[i] == '\\')
                        {
                            i++;
                        }
                    }

                    break;
                case '{':
                    keyNext = ++depth == 1;
                    break;
                case '[':
                    depth++;
                    break;
                case '}' when depth == 1:
                    if (i != text.Length - 1)
                    {
                        throw new ArgumentException("Not a single JSON object.", nameof(canonicalObject));
                    }

                    return Insert(canonicalObject, i, name, canonicalValue, comma: i == 1 ? Comma.None : Comma.Before);
                case '}':
                case ']':
                    depth--;
                    break;
                case ',' when depth == 1:
                    keyNext = true;
                    break;
            }
        }

        throw new ArgumentException("Not a complete JSON object.", nameof(canonicalObject));
    }

    private enum Comma
    {
        None,
        Before,
        After,
    }

    /// <summary><c>"name":value</c> put in at <paramref name="at"/>, with its comma: one allocation.</summary>
    private static string Insert(string text, int at, string name, string value, Comma comma) =>
        string.Create(text.Length + name.Length + value.Length + 3 + (comma == Comma.None ? 0 : 1), (text, at, name, value, comma), static (span, s) =>
        {
            s.text.AsSpan(0, s.at).CopyTo(span);
            var w = s.at;
            if (s.comma == Comma.Before)
            {
                span[w++] = ',';
            }

            span[w++] = '"';
            s.name.AsSpan().CopyTo(span[w..]);
            w += s.name.Length;
            span[w++] = '"';
            span[w++] = ':';
            s.value.AsSpan().CopyTo(span[w..]);
            w += s.value.Length;
            if (s.comma == Comma.After)
            {
                span[w++] = ',';
            }

            s.text.AsSpan(s.at).CopyTo(span[w..]);
        });

    private static bool PlainKey(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><see cref="WithProperty"/> by a JSON reader over the UTF-8 text: keys with escapes.</summary>
    private static string WithPropertyByReader(string canonicalObject, string name, string canonicalValue)
    {
        var bytes = Encoding.UTF8.GetBytes(canonicalObject);
        var reader = new Utf8JsonReader(bytes);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ArgumentException("Not a JSON object.", nameof(canonicalObject));
        }

        var empty = true;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
            {
                var at = (int)reader.TokenStartIndex;
                return string.Concat(Encoding.UTF8.GetString(bytes, 0, at), empty ? "" : ",", Member(name, canonicalValue), "}");
            }

            var key = reader.GetString()!;
            var order = string.CompareOrdinal(key, name);
            if (order == 0)
            {
                throw new ArgumentException($"The object already has a \"{name}\" property.", nameof(canonicalObject));
            }

            if (order > 0)
            {
                var at = (int)reader.TokenStartIndex;
                return string.Concat(Encoding.UTF8.GetString(bytes, 0, at), Member(name, canonicalValue), ",", Encoding.UTF8.GetString(bytes, at, bytes.Length - at));
            }

            empty = false;
            reader.Skip();
        }

        throw new ArgumentException("Not a complete JSON object.", nameof(canonicalObject));
    }

    private static string Member(string name, string canonicalValue) => string.Concat(JsonSerializer.Serialize(name), ":", canonicalValue);

    private static string CanonicalUtf8(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        using var scratch = ScratchJson.Rent();
        Write(document.RootElement, scratch.Writer);
        return Encoding.UTF8.GetString(scratch.Written);
    }

    // Canonical JSON: object keys in ordinal order, no whitespace, strings escaped by the default
    // encoder (non-ASCII and HTML-sensitive characters as \uXXXX), numbers as their text.
    private static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    properties.Add(property);
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    Write(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
