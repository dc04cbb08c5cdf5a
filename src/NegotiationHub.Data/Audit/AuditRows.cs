using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

            var records = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
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
        foreach (var e in entries)
        {
            Pend(pending, e);
        }

        if (pending.Count == 0)
        {
            return;
        }

        var records = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!ByType.TryGetValue(change.Entity.GetType(), out var table))
            {
                continue;
            }

            var type = model.FindEntityType(change.Entity.GetType())!;
            var key = KeyOf(type, table, change.Entity);
            JsonObject? record;
            if (change.Original is not { } original)
            {
                record = Record(table, key, "added", FieldsOf(type, table, change.Entity));
            }
            else
            {
                var changed = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                foreach (var property in type.GetProperties())
                {
                    var getter = property.GetGetter();
                    var value = getter.GetClrValue(change.Entity);
                    if (Recorded(table, property.Name) && !Equals(value, getter.GetClrValue(original)))
                    {
                        changed[FieldName(property.Name)] = Value(value);
                    }
                }

                record = changed.Count == 0 ? null : Record(table, key, "modified", changed);
            }

            if (record is not null)
            {
                Add(records, AuditChain.ForSession(SessionOf(change, changes)), record);
            }
        }

        Splice(pending, records);
    }

    private static void Pend(Dictionary<string, AuditEntry> pending, AuditEntry entry)
    {
        if (!pending.TryGetValue(entry.Chain, out var last) || last.Sequence < entry.Sequence)
        {
            pending[entry.Chain] = entry;
        }
    }

    private static void Add(Dictionary<string, List<JsonObject>> records, string chain, JsonObject record)
    {
        if (!records.TryGetValue(chain, out var list))
        {
            records[chain] = list = [];
        }

        list.Add(record);
    }

    /// <summary>Puts each chain's records into its last pending entry, and rehashes that entry.</summary>
    private static void Splice(Dictionary<string, AuditEntry> pending, Dictionary<string, List<JsonObject>> records)
    {
        foreach (var (chain, list) in records)
        {
            if (!pending.TryGetValue(chain, out var target))
            {
                continue;
            }

            // The entry's payload is canonical (AuditLog wrote it): the records go in at their place, unparsed.
            var rows = new JsonArray([.. list.OrderBy(r => (string)r["table"]!, StringComparer.Ordinal).ThenBy(r => (string)r["key"]!, StringComparer.Ordinal)
                .ThenBy(r => (string)r["op"]! == "deleted" ? 0 : 1)]); // a row deleted and added again under its key in one save is the added one
            target.PayloadJson = AuditChain.WithProperty(target.PayloadJson, PayloadProperty, AuditChain.Canonical(rows));
            target.Hash = AuditChain.ComputeHashOfCanonical(target);
        }
    }

    private static Guid SessionOf(RowChange change, IReadOnlyList<RowChange> changes) => change.Entity switch
    {
        NegotiationSession s => s.Id,
        ContractRevisionRecord r => changes.Select(c => c.Entity).OfType<Contract>().FirstOrDefault(c => c.Id == r.ContractId)?.SessionId
            ?? throw new InvalidOperationException($"Contract revision {r.ContractId}/{r.Number} is written without its contract, so its session's chain cannot record it."),
        SessionParty p => p.SessionId,
        SessionFactor f => f.SessionId,
        StrengthReading r => r.SessionId,
        SessionMembership m => m.SessionId,
        Round r => r.SessionId,
        Bid b => b.SessionId,
        Contract c => c.SessionId,
        _ => throw new InvalidOperationException($"{change.Entity.GetType().Name} is not an audited row."),
    };

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
        string s when s.Length > LongText => JsonValue.Create("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))),
        string s => JsonValue.Create(s),
        double d when !double.IsFinite(d) => JsonValue.Create(d.ToString("R", CultureInfo.InvariantCulture)),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        Guid g => JsonValue.Create(g.ToString("D")),
        DateTime t => JsonValue.Create(DatabaseClock.ToMicrosecond(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture)),
        Enum e => JsonValue.Create(e.ToString()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static bool Recorded(AuditedTable table, string property) =>
        property != "SessionId" && !table.Excluded.Contains(property, StringComparer.Ordinal);

    private static JsonObject? RecordOf(AuditedTable table, EntityEntry entry)
    {
        var key = string.Join('/', table.Key.Select(k => Text(entry.State == EntityState.Deleted ? entry.Property(k).OriginalValue : entry.Property(k).CurrentValue)));
        switch (entry.State)
        {
            case EntityState.Deleted:
                return new JsonObject { ["table"] = table.Name, ["key"] = key, ["op"] = "deleted" };
            case EntityState.Added:
                return Record(table, key, "added", FieldsOf(entry.Metadata, table, entry.Entity));
            default:
                var changed = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                foreach (var property in entry.Properties)
                {
                    if (property.IsModified && Recorded(table, property.Metadata.Name))
                    {
                        changed[FieldName(property.Metadata.Name)] = Value(property.CurrentValue);
                    }
                }

                // None: only the message sequence or the concurrency token moved.
                return changed.Count == 0 ? null : Record(table, key, "modified", changed);
        }
    }

    private static JsonObject Record(AuditedTable table, string key, string op, Dictionary<string, JsonNode?> fields)
    {
        var obj = new JsonObject();
        foreach (var (name, value) in fields)
        {
            obj[name] = value;
        }

        return new JsonObject { ["table"] = table.Name, ["key"] = key, ["op"] = op, ["fields"] = obj };
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

/// <summary>One audited table: its name in records and messages, its entity, the properties that name a row, and those not recorded.</summary>
/// <param name="Name">The table's name in row records and problems.</param>
/// <param name="Type">The entity type.</param>
/// <param name="Key">The properties that name a row within its session.</param>
/// <param name="Excluded">Properties that are not part of the served state: concurrency tokens, the message sequence, generated ids.</param>
public sealed record AuditedTable(string Name, Type Type, IReadOnlyList<string> Key, IReadOnlyList<string> Excluded);
