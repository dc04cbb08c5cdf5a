using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NegotiationHub.Contracts;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Data.Tests;

/// <summary>
/// The hash chain's canonical JSON, against texts written out by hand from its rule (keys in ordinal
/// order, no whitespace, strings escaped by the default encoder, numbers as written), and the write
/// path's shortcuts (a payload hashed as written, row records spliced in) against the general path.
/// </summary>
public class CanonicalJsonTests
{
    // 政 is U+653F; the default encoder writes every non-ASCII and HTML-sensitive character as \uXXXX.
    private const string Messy = "{ \"z\": 1, \"a\": \"政<b>\\\"&'\", \"m\": [2.5, {\"y\": null, \"b\": true}], \"B\": -0.125e2 }";
    private const string Expected = "{\"B\":-0.125e2,\"a\":\"\\u653F\\u003Cb\\u003E\\u0022\\u0026\\u0027\",\"m\":[2.5,{\"b\":true,\"y\":null}],\"z\":1}";

    [Fact]
    public void Canonical_sorts_keys_ordinally_drops_whitespace_escapes_by_the_default_encoder_and_keeps_numbers_as_written()
    {
        Assert.Equal(Expected, AuditChain.Canonical(Messy));
        Assert.Equal(Expected, AuditChain.Canonical(Expected));
        Assert.Equal(Expected, AuditChain.Canonical(JsonNode.Parse(Messy)));
    }

    [Fact]
    public void The_hash_is_sha256_of_the_canonical_body_written_out_by_hand()
    {
        var entry = Entry(Messy);
        var body = "{\"actor\":\"alice\",\"chain\":\"global\",\"payload\":" + Expected + ",\"previousHash\":\"" + AuditChain.Genesis
            + "\",\"sequence\":7,\"time\":\"2026-12-06T10:11:12.345Z\",\"type\":\"RoleGranted\"}";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(expected, AuditChain.ComputeHash(entry));
        entry.PayloadJson = Expected;
        Assert.Equal(expected, AuditChain.ComputeHashOfCanonical(entry));
        entry.PreviousHash = null!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body.Replace("\"" + AuditChain.Genesis + "\"", "null", StringComparison.Ordinal)))),
            AuditChain.ComputeHash(entry));
    }

    [Fact]
    public void A_property_goes_in_at_its_ordinal_place()
    {
        Assert.Equal("{\"rows\":[]}", AuditChain.WithProperty("{}", "rows", "[]"));
        Assert.Equal("{\"a\":{\"z\":1},\"rows\":[1]}", AuditChain.WithProperty("{\"a\":{\"z\":1}}", "rows", "[1]"));
        Assert.Equal("{\"rows\":[1],\"s\":\"}\"}", AuditChain.WithProperty("{\"s\":\"}\"}", "rows", "[1]"));
        Assert.Equal("{\"Z\":1,\"round\":{\"rows\":0},\"rows\":2,\"z\":[3]}", AuditChain.WithProperty("{\"Z\":1,\"round\":{\"rows\":0},\"z\":[3]}", "rows", "2"));
        Assert.Throws<ArgumentException>(() => AuditChain.WithProperty("{\"rows\":1}", "rows", "2"));
        Assert.Throws<ArgumentException>(() => AuditChain.WithProperty("[1]", "rows", "2"));
    }

    [Fact]
    public void Random_payloads_hash_and_splice_the_same_by_the_short_path_as_by_the_general_one()
    {
        var random = new Random(20261206);
        for (var i = 0; i < 500; i++)
        {
            var payload = RandomObject(random, depth: 0);
            var pretty = payload.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
            var canonical = AuditChain.Canonical(pretty);
            Assert.Equal(canonical, AuditChain.Canonical(canonical)); // idempotent

            var rows = RandomArray(random, depth: 1);
            var general = (JsonObject)JsonNode.Parse(pretty)!;
            if (!general.ContainsKey("rows"))
            {
                general["rows"] = JsonNode.Parse(rows.ToJsonString());
                Assert.Equal(AuditChain.Canonical(general), AuditChain.WithProperty(canonical, "rows", AuditChain.Canonical(rows)));
            }

            var messy = Entry(pretty);
            var tidy = Entry(canonical);
            Assert.Equal(AuditChain.ComputeHash(messy), AuditChain.ComputeHashOfCanonical(tidy));
        }
    }

    [Fact]
    public void Typed_payloads_serialize_straight_to_the_text_the_general_path_makes()
    {
        // The live path's shapes: anonymous objects of scalars, arrays, nested objects and sequences of them.
        var random = new Random(20261207);
        const string Alphabet = "aZ9 é政\"\\<>&'\u2028\n/";
        string Text() => new([.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        double Number() => random.Next(6) switch
        {
            0 => -0.0,
            1 => double.MaxValue,
            2 => double.Epsilon,
            3 => 0.1 + 0.2,
            _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)),
        };
        for (var i = 0; i < 300; i++)
        {
            var demands = Enumerable.Range(0, random.Next(0, 6)).Select(_ => Number()).ToArray();
            object payload = random.Next(4) switch
            {
                0 => new { bidId = Guid.NewGuid(), round = random.Next(), partyIndex = random.Next(16), demand = Number(), proposal = random.Next(2) == 0 ? null : demands, autoConceded = random.Next(2) == 0 },
                1 => new { round = random.Next(), period = random.Next(), openedUtc = new DateTime(2026, 12, 7, 1, 2, 3, DateTimeKind.Utc).AddTicks(random.Next()), deadlineUtc = (DateTime?)null, Zeta = Text(), alpha = Text() },
                2 => new
                {
                    round = random.Next(),
                    reason = RoundCloseReason.Deadline,
                    autoConceded = demands.Select((d, k) => new { bidId = new Guid(k, 7, 7, new byte[8]), partyIndex = k % 4, demand = d }), // lazy, as the live payload's: the same each time
                    demands,
                    gap = Number(),
                    mustConcede = (int?)random.Next(4),
                    powers = (IReadOnlyList<double>)[.. demands.Reverse()],
                    nested = new { z = Text(), a = new[] { new { y = 1, b = (string?)null } } },
                },
                _ => new Sample(Text(), Number(), [.. demands], new Sample(Text(), -1, [], null)),
            };

            Assert.Equal(AuditChain.CanonicalPayloadByParsing(payload), AuditChain.CanonicalPayload(payload));
        }
    }

    [Fact]
    public void Payloads_with_their_own_key_order_go_the_general_way_and_come_out_sorted()
    {
        Assert.Equal("{\"a\":2,\"b\":1}", AuditChain.CanonicalPayload(new Dictionary<string, int> { ["b"] = 1, ["a"] = 2 }));
        Assert.Equal("{\"x\":{\"a\":2,\"b\":1}}", AuditChain.CanonicalPayload(new { x = new Dictionary<string, int> { ["b"] = 1, ["a"] = 2 } }));
        Assert.Equal("{\"x\":{\"a\":2,\"b\":1}}", AuditChain.CanonicalPayload(new { x = (object)new { b = 1, a = 2 } }));
        Assert.Equal("{\"a\":[{\"c\":3,\"d\":4}],\"b\":1}", AuditChain.CanonicalPayload(JsonNode.Parse("{\"b\":1,\"a\":[{\"d\":4,\"c\":3}]}")!));
        Assert.Throws<ArgumentNullException>(() => AuditChain.CanonicalPayload(null!));
    }

    private sealed record Sample(string Name, double Value, List<double> Values, Sample? Inner);

    private static AuditEntry Entry(string payload) => new()
    {
        Chain = "global",
        Sequence = 7,
        TimeUtc = new DateTime(2026, 12, 6, 10, 11, 12, 345, DateTimeKind.Utc),
        Actor = "alice",
        Type = "RoleGranted",
        PayloadJson = payload,
        PreviousHash = AuditChain.Genesis,
    };

    private static readonly string[] Keys = ["a", "B", "rows", "round", "z", "Z", "政府", "é", "a b", "<x>", "\"q\"", "_", "r", "rowsX", "10", "2"];

    private static JsonObject RandomObject(Random random, int depth)
    {
        var obj = new JsonObject();
        var count = random.Next(0, 6);
        for (var i = 0; i < count; i++)
        {
            obj[Keys[random.Next(Keys.Length)]] = RandomValue(random, depth + 1);
        }

        return obj;
    }

    private static JsonArray RandomArray(Random random, int depth)
    {
        var array = new JsonArray();
        var count = random.Next(0, 4);
        for (var i = 0; i < count; i++)
        {
            array.Add(RandomValue(random, depth + 1));
        }

        return array;
    }

    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth > 3 ? 5 : 7) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 12))),
        3 => JsonValue.Create(random.NextInt64(long.MinValue, long.MaxValue)),
        4 => JsonValue.Create(string.Concat(Enumerable.Range(0, random.Next(0, 8)).Select(_ => "a政<>&'\"\\\n\té 0".Substring(random.Next(13), 1)))),
        5 => RandomObject(random, depth),
        _ => RandomArray(random, depth),
    };
    [Fact]
    public void Row_records_written_directly_are_the_canonical_text_of_the_same_records_as_json_nodes()
    {
        // The general path: each value as AuditRows.Value records it, in a JSON tree, made canonical.
        var random = new Random(20261206);
        const string Alphabet = "aZ9 é政\"\\<>&'\u2028\n/";
        string Text(int length) => new([.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        object?[] specials = [null, double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 1e-300, double.MaxValue, 0.1 + 0.2, double.Epsilon,
            int.MinValue, long.MaxValue, true, false, Guid.Empty, RoundState.Closed, (RoundCloseReason?)RoundCloseReason.Deadline,
            new DateTime(2026, 12, 6, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234567), DateTime.SpecifyKind(new DateTime(2026, 1, 1).AddTicks(9), DateTimeKind.Unspecified), "", Text(300)];
        object? RandomValue() => random.Next(4) switch
        {
            0 => specials[random.Next(specials.Length)],
            1 => Text(random.Next(0, 2) == 0 ? random.Next(0, 20) : random.Next(250, 270)),
            2 => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20)),
            _ => new Guid([.. Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256))]),
        };

        for (var trial = 0; trial < 300; trial++)
        {
            var records = new List<RowRecord>();
            var expected = new List<JsonObject>();
            for (var r = random.Next(1, 6); r > 0; r--)
            {
                var table = new[] { "bids", "rounds", "sessions" }[random.Next(3)];
                var key = random.Next(3) == 0 ? Text(5) : random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var op = new[] { "added", "modified", "deleted" }[random.Next(3)];
                List<KeyValuePair<string, object?>>? fields = op == "deleted" ? null : [];
                var node = new JsonObject { ["table"] = table, ["key"] = key, ["op"] = op };
                if (fields is not null)
                {
                    var obj = new JsonObject();
                    foreach (var name in Enumerable.Range(0, random.Next(0, 8)).Select(_ => Text(random.Next(1, 6))).Distinct(StringComparer.Ordinal))
                    {
                        var value = RandomValue();
                        fields.Add(new(name, value));
                        obj[name] = AuditRows.Value(value);
                    }

                    node["fields"] = obj;
                }

                records.Add(new RowRecord(table, key, op, fields));
                expected.Add(node);
            }

            var general = AuditChain.Canonical(new JsonArray([.. expected.OrderBy(n => (string)n["table"]!, StringComparer.Ordinal).ThenBy(n => (string)n["key"]!, StringComparer.Ordinal)
                .ThenBy(n => (string)n["op"]! == "deleted" ? 0 : 1)]));
            Assert.Equal(general, AuditRows.Canonical(records));
        }
    }
}
