using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Data.Audit;

/// <summary>
/// The rows a session's audit chain vouches for (ADR 0017). Every save that writes one of these
/// tables records, in the last audit entry of the session's chain that the same save adds, the
/// values it wrote: a whole row when it is added, the changed fields when it is modified, the key
/// when it is deleted. The verifier replays those records and compares every served row with them,
/// field by field, so a row edited behind the application's back names its table, its key, the
/// field and the entry that recorded the value it should have.
/// </summary>
public static class AuditRows
{
    /// <summary>The payload property that carries the row records.</summary>
    public const string PayloadProperty = "rows";

    /// <summary>Text longer than this is recorded as its SHA-256 (analyses and revision vectors run to kilobytes).</summary>
    public const int LongText = 256;

    /// <summary>The audited tables, with the key that names a row within its session.</summary>
    public static readonly IReadOnlyList<AuditedTable> Tables =
    [
        new("sessions", typeof(NegotiationSession), ["Id"], ["Version", "Sequence"]),
        new("parties", typeof(SessionParty), ["Index"], []),
        new("factors", typeof(SessionFactor), ["Index"], []),
        new("strengths", typeof(StrengthReading), ["Period", "PartyIndex", "FactorIndex"], ["Id"]),
        new("memberships", typeof(SessionMembership), ["UserId"], []),
        new("rounds", typeof(Round), ["Number"], []),
        new("bids", typeof(Bid), ["Id"], []),
        new("contracts", typeof(Contract), ["Id"], ["Version"]),
        new("revisions", typeof(ContractRevisionRecord), ["ContractId", "Number"], []),
    ];

    private static readonly Dictionary<Type, AuditedTable> ByType = Tables.ToDictionary(t => t.Type);

    /// <summary>The audited entity types' shapes, built once from the model (<see cref="Record(IModel, IReadOnlyList{RowChange}, IReadOnlyList{AuditEntry})"/>).</summary>
    private static readonly ConcurrentDictionary<Type, Shape?> Shapes = new();

    /// <summary>An audited entity type as a row writer's changes are recorded: its table, its recorded fields in ordinal order, its key's getters, and the getter of the session it belongs to (null for a contract revision, whose contract says).</summary>
    private sealed record Shape(AuditedTable Table, (string Name, IClrPropertyGetter Getter, Func<object, object, bool> Same)[] Fields, IClrPropertyGetter[] Key, IClrPropertyGetter? Session);

    /// <summary>
    /// Puts the row records of <paramref name="db"/>'s pending changes into the last pending entry of
    /// each session chain, and rehashes that entry. Rows of a session whose chain gets no entry in
    /// this save are not recorded (the verifier then reports them as unrecorded).
    /// </summary>
    public static void Record(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.ChangeTracker.DetectChanges();
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var pending = new Dictionary<string, AuditEntry>(StringComparer.Ordinal);
            foreach (var e in db.ChangeTracker.Entries<AuditEntry>())
            {
                if (e.State == EntityState.Added)
                {
                    Pend(pending, e.Entity);
                }
            }

            if (pending.Count == 0)
            {
                return;
            }

            var records = new Dictionary<string, List<RowRecord>>(StringComparer.Ordinal);
            foreach (var entry in db.ChangeTracker.Entries())
            {
                if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || !ByType.TryGetValue(entry.Entity.GetType(), out var table))
                {
                    continue;
                }

                if (RecordOf(table, entry) is { } record)
                {
                    Add(records, AuditChain.ForSession(SessionOf(db, entry)), record);
                }
            }

            Splice(pending, records);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// <see cref="Record(DbContext)"/> for a write made without a change tracker (<see cref="RowWriter"/>):
    /// the same records, from the rows' values (a modified row's changed fields are those whose value
    /// differs from its original's, as EF Core's snapshot finds them).
    /// </summary>
    public static void Record(IModel model, IReadOnlyList<RowChange> changes, IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(entries);
        var pending = new Dictionary<string, AuditEntry>(StringComparer.Ordinal);
        for (var e = 0; e < entries.Count; e++)
        {
            Pend(pending, entries[e]);
        }

        var records = new Dictionary<string, List<RowRecord>>(StringComparer.Ordinal);
        (Guid Session, string Chain) last = default; // a write's rows are nearly always of one session: its chain's name once
        for (var c = 0; c < changes.Count; c++)
        {
            var change = changes[c];
            var shape = ShapeOf(model, change.Entity.GetType());
            if (shape is null)
            {
                continue;
            }

            var fields = new List<KeyValuePair<string, object?>>(shape.Fields.Length);
            foreach (var (name, getter, same) in shape.Fields)
            {
                if (change.Original is null || !same(change.Entity, change.Original))
                {
                    fields.Add(new(name, getter.GetClrValue(change.Entity)));
                }
            }

            if (change.Original is null || fields.Count > 0)
            {
                var key = shape.Key.Length == 1 ? KeyText(shape.Key[0].GetClrValue(change.Entity)) : string.Join('/', shape.Key.Select(k => KeyText(k.GetClrValue(change.Entity))));
                var session = SessionOf(shape, change, changes);
                if (last.Chain is null || last.Session != session)
                {
                    last = (session, AuditChain.ForSession(session));
                }

                Add(records, last.Chain, new RowRecord(shape.Table.Name, key, change.Original is null ? "added" : "modified", fields));
            }
        }

        Splice(pending, records);
        for (var e = 0; e < entries.Count; e++)
        {
            var entry = entries[e];
            if (entry.Hash.Length == 0)
            {
                entry.Hash = AuditChain.ComputeHashOfCanonical(entry); // left unhashed for its records (AuditLog.Next)
            }
        }
    }

    /// <summary>An audited entity type's recorded fields (in ordinal order of their names) and key, or null if it is not audited.</summary>
    private static Shape? ShapeOf(IModel model, Type clrType) => Shapes.GetOrAdd(clrType, static (t, m) =>
    {
        if (!ByType.TryGetValue(t, out var table))
        {
            return null;
        }

        var type = m.FindEntityType(t)!;
        return new Shape(
            table,
            [.. type.GetProperties().Where(p => Recorded(table, p.Name)).Select(p => (FieldName(p.Name), p.GetGetter(), PropertyValues.Same(p))).OrderBy(f => f.Item1, StringComparer.Ordinal)],
            [.. table.Key.Select(k => type.FindProperty(k)!.GetGetter())],
            type.FindProperty(t == typeof(NegotiationSession) ? "Id" : "SessionId")?.GetGetter());
    }, model);

    /// <summary>One part of a row's key as <see cref="KeyOf"/> writes it.</summary>
    private static string KeyText(object? value) => value switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        Guid g => g.ToString("D"),
        string s when s.Length <= LongText => s,
        _ => Text(value),
    };

    private static void Pend(Dictionary<string, AuditEntry> pending, AuditEntry entry)
    {
        if (!pending.TryGetValue(entry.Chain, out var last) || last.Sequence < entry.Sequence)
        {
            pending[entry.Chain] = entry;
        }
    }

    private static void Add(Dictionary<string, List<RowRecord>> records, string chain, RowRecord record)
    {
        if (!records.TryGetValue(chain, out var list))
        {
            records[chain] = list = [];
        }

        list.Add(record);
    }

    /// <summary>Puts each chain's records into its last pending entry, and rehashes that entry.</summary>
    private static void Splice(Dictionary<string, AuditEntry> pending, Dictionary<string, List<RowRecord>> records)
    {
        foreach (var (chain, list) in records)
        {
            if (!pending.TryGetValue(chain, out var target))
            {
                continue;
            }

            // The entry's payload is canonical (AuditLog wrote it): the records go in at their place, unparsed.
            target.PayloadJson = AuditChain.WithProperty(target.PayloadJson, PayloadProperty, Canonical(list));
            target.Hash = AuditChain.ComputeHashOfCanonical(target);
        }
    }

    /// <summary>
    /// The canonical JSON of a save's records, written directly: <c>[{"fields":{…},"key":…,"op":…,"table":…},…]</c>,
    /// the records ordered by table, key and operation, each record's and its fields' names in
    /// ordinal order, each value as <see cref="Value"/> records it — the text <c>AuditChain.Canonical</c>
    /// makes of the same records as JSON nodes.
    /// </summary>
    internal static string Canonical(IEnumerable<RowRecord> records)
    {
        using var scratch = ScratchJson.Rent();
        var writer = scratch.Writer;
        writer.WriteStartArray();
        // A row deleted and added again under its key in one save is the added one.
        foreach (var record in records.OrderBy(r => r.Table, StringComparer.Ordinal).ThenBy(r => r.Key, StringComparer.Ordinal).ThenBy(r => r.Op == "deleted" ? 0 : 1))
        {
            writer.WriteStartObject();
            if (record.Fields is { } fields)
            {
                writer.WriteStartObject("fields");
                if (!Sorted(fields))
                {
                    fields.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                }

                foreach (var (name, value) in fields)
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteString("key", record.Key);
            writer.WriteString("op", record.Op);
            writer.WriteString("table", record.Table);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        return Encoding.UTF8.GetString(scratch.Written);
    }

    private static bool Sorted(List<KeyValuePair<string, object?>> fields)
    {
        for (var i = 1; i < fields.Count; i++)
        {
            if (string.CompareOrdinal(fields[i - 1].Key, fields[i].Key) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes one value as <see cref="Value"/> records it.</summary>
    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s when s.Length > LongText:
                writer.WriteStringValue(LongTextHash(s));
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case double d when !double.IsFinite(d):
                writer.WriteStringValue(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case Guid g:
                writer.WriteStringValue(g); // "D", as Value records it
                break;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                break;
            case DateTime t:
                Span<char> text = stackalloc char[32];
                DatabaseClock.ToMicrosecond(DateTime.SpecifyKind(t, DateTimeKind.Utc)).TryFormat(text, out var written, TimeFormat, CultureInfo.InvariantCulture);
                writer.WriteStringValue(text[..written]);
                break;
            default:
                writer.WriteStringValue(Value(value)!.GetValue<string>());
                break;
        }
    }

    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.ffffffZ";

    private static string LongTextHash(string s) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));

    /// <summary>The session whose chain records a change: its own id, its session id, or (a contract revision) its contract's, which the same write adds.</summary>
    private static Guid SessionOf(Shape shape, RowChange change, IReadOnlyList<RowChange> changes)
    {
        if (shape.Session is { } session)
        {
            return (Guid)session.GetClrValue(change.Entity)!;
        }

        var revision = (ContractRevisionRecord)change.Entity;
        return changes.Select(c => c.Entity).OfType<Contract>().FirstOrDefault(c => c.Id == revision.ContractId)?.SessionId
            ?? throw new InvalidOperationException($"Contract revision {revision.ContractId}/{revision.Number} is written without its contract, so its session's chain cannot record it.");
    }

    /// <summary>The recorded form of a stored row's fields (everything but the session id, the key's own parts included).</summary>
    public static Dictionary<string, JsonNode?> FieldsOf(IEntityType type, AuditedTable table, object entity)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(table);
        var fields = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties())
        {
            if (Recorded(table, property.Name))
            {
                fields[FieldName(property.Name)] = Value(property.GetGetter().GetClrValue(entity));
            }
        }

        return fields;
    }

    /// <summary>The key that names a stored row within its session, e.g. <c>3</c> or <c>2/0/1</c>.</summary>
    public static string KeyOf(IEntityType type, AuditedTable table, object entity)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(table);
        return string.Join('/', table.Key.Select(k => Text(type.FindProperty(k)!.GetGetter().GetClrValue(entity))));
    }

    /// <summary>The field name a property is recorded under (camelCase, as in every payload).</summary>
    public static string FieldName(string property) => char.ToLowerInvariant(property[0]) + property[1..];

    /// <summary>The recorded form of one value: times to the microsecond, enums by name, long text as its SHA-256.</summary>
    public static JsonNode? Value(object? value) => value switch
    {
        null => null,
        string s when s.Length > LongText => JsonValue.Create(LongTextHash(s)),
        string s => JsonValue.Create(s),
        double d when !double.IsFinite(d) => JsonValue.Create(d.ToString("R", CultureInfo.InvariantCulture)),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        Guid g => JsonValue.Create(g.ToString("D")),
        DateTime t => JsonValue.Create(DatabaseClock.ToMicrosecond(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToString(TimeFormat, CultureInfo.InvariantCulture)),
        Enum e => JsonValue.Create(e.ToString()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static bool Recorded(AuditedTable table, string property)
    {
        if (property == "SessionId")
        {
            return false;
        }

        foreach (var excluded in table.Excluded)
        {
            if (excluded == property)
            {
                return false;
            }
        }

        return true;
    }

    private static RowRecord? RecordOf(AuditedTable table, EntityEntry entry)
    {
        var key = string.Join('/', table.Key.Select(k => Text(entry.State == EntityState.Deleted ? entry.Property(k).OriginalValue : entry.Property(k).CurrentValue)));
        if (entry.State == EntityState.Deleted)
        {
            return new RowRecord(table.Name, key, "deleted", null);
        }

        var fields = new List<KeyValuePair<string, object?>>();
        foreach (var property in entry.Properties)
        {
            if ((entry.State == EntityState.Added || property.IsModified) && Recorded(table, property.Metadata.Name))
            {
                fields.Add(new(FieldName(property.Metadata.Name), property.CurrentValue));
            }
        }

        // A modified row with no recorded change: only the message sequence or the concurrency token moved.
        return entry.State == EntityState.Added ? new RowRecord(table.Name, key, "added", fields)
            : fields.Count == 0 ? null : new RowRecord(table.Name, key, "modified", fields);
    }

    private static Guid SessionOf(DbContext db, EntityEntry entry)
    {
        if (entry.Entity is ContractRevisionRecord revision)
        {
            var contract = db.ChangeTracker.Entries<Contract>().FirstOrDefault(c => c.Entity.Id == revision.ContractId)
                ?? throw new InvalidOperationException($"Contract revision {revision.ContractId}/{revision.Number} is written without its contract being tracked, so its session's chain cannot record it.");
            return contract.Entity.SessionId;
        }

        var property = entry.Metadata.FindProperty(entry.Entity is NegotiationSession ? "Id" : "SessionId")!;
        return (Guid)(entry.State == EntityState.Deleted ? entry.OriginalValues[property] : entry.CurrentValues[property])!;
    }

    private static string Text(object? value) => Value(value)?.ToString() ?? "null";
}

/// <summary>One row's record: its table, its key, added/modified/deleted, and the fields recorded (their CLR values; none for a deletion).</summary>
internal sealed record RowRecord(string Table, string Key, string Op, List<KeyValuePair<string, object?>>? Fields);

/// <summary>One audited table: its name in records and messages, its entity, the properties that name a row, and those not recorded.</summary>
/// <param name="Name">The table's name in row records and problems.</param>
/// <param name="Type">The entity type.</param>
/// <param name="Key">The properties that name a row within its session.</param>
/// <param name="Excluded">Properties that are not part of the served state: concurrency tokens, the message sequence, generated ids.</param>
public sealed record AuditedTable(string Name, Type Type, IReadOnlyList<string> Key, IReadOnlyList<string> Excluded);
