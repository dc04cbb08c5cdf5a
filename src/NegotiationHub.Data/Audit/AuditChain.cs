using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>Serializes a payload to canonical JSON: object keys sorted ordinally, no whitespace.</summary>
    public static string CanonicalPayload(object payload) => Canonical(JsonSerializer.SerializeToNode(payload, PayloadJson));

    /// <summary>Canonical form of stored JSON text.</summary>
    public static string Canonical(string json) => Canonical(JsonNode.Parse(json));

    /// <summary>The hash an entry must carry, from its fields and its predecessor's hash.</summary>
    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var body = new JsonObject
        {
            ["actor"] = entry.Actor,
            ["chain"] = entry.Chain,
            ["payload"] = JsonNode.Parse(entry.PayloadJson),
            ["previousHash"] = entry.PreviousHash,
            ["sequence"] = entry.Sequence,
            ["time"] = entry.TimeUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["type"] = entry.Type,
        };
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(body)));
        return Convert.ToHexStringLower(bytes);
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

    private static string Canonical(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    builder.Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(value, builder);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Write(array[i], builder);
                }

                builder.Append(']');
                break;
            default:
                builder.Append(node.ToJsonString());
                break;
        }
    }
}
