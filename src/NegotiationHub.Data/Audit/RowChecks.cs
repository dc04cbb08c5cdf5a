using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Data.Audit;

/// <summary>
/// Replays a session chain's row records (<see cref="AuditRows"/>) and compares every stored row of
/// the session with the replay, field by field.
/// </summary>
internal static class RowChecks
{
    private sealed class Replayed
    {
        public Dictionary<string, (JsonNode? Value, long Sequence)> Fields { get; } = new(StringComparer.Ordinal);

        public long LastSequence { get; set; }
    }

    public static async Task<List<(long, string)>> CheckAsync(NegotiationDbContext db, Guid sessionId, IReadOnlyList<AuditEntry> entries, bool strict, IReadOnlySet<string> tablesNotHeld, CancellationToken cancellationToken)
    {
        var problems = new List<(long, string)>();
        var rows = new Dictionary<(string Table, string Key), Replayed>();
        var deleted = new Dictionary<(string Table, string Key), long>();
        foreach (var entry in entries)
        {
            JsonArray? records;
            try
            {
                records = JsonNode.Parse(entry.PayloadJson)?[AuditRows.PayloadProperty] as JsonArray;
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException)
            {
                problems.Add((entry.Sequence, $"entry {entry.Sequence} has a malformed payload"));
                continue;
            }

            foreach (var record in records ?? [])
            {
                if (record?["table"]?.GetValue<string>() is not { } table || record["key"]?.GetValue<string>() is not { } key || record["op"]?.GetValue<string>() is not { } op)
                {
                    problems.Add((entry.Sequence, $"entry {entry.Sequence} has a malformed row record"));
                    continue;
                }

                var id = (table, key);
                if (op == "deleted")
                {
                    rows.Remove(id);
                    deleted[id] = entry.Sequence;
                    continue;
                }

                if (op == "added" || !rows.TryGetValue(id, out var row))
                {
                    rows[id] = row = new Replayed();
                    deleted.Remove(id);
                }

                row.LastSequence = entry.Sequence;
                foreach (var (field, value) in record["fields"] as JsonObject ?? [])
                {
                    row.Fields[field] = (value, entry.Sequence);
                }
            }
        }

        var seen = new HashSet<(string, string)>();
        foreach (var (table, entity) in await LoadAsync(db, sessionId, cancellationToken))
        {
            var type = db.Model.FindEntityType(table.Type)!;
            var id = (table.Name, AuditRows.KeyOf(type, table, entity));
            seen.Add(id);
            if (!rows.TryGetValue(id, out var row))
            {
                if (deleted.TryGetValue(id, out var at))
                {
                    problems.Add((at, $"{table.Name} row {id.Item2} was deleted by entry {at} but is in the database"));
                }
                else if (strict)
                {
                    problems.Add((entries.Count + 1L, $"{table.Name} row {id.Item2} is in the database but no entry of the chain recorded it"));
                }

                continue;
            }

            var stored = AuditRows.FieldsOf(type, table, entity);
            foreach (var (field, (recorded, sequence)) in row.Fields.OrderBy(f => f.Value.Sequence))
            {
                var actual = stored.TryGetValue(field, out var value) ? value : null;
                if (Json(actual) != Json(recorded))
                {
                    problems.Add((sequence, $"{table.Name} row {id.Item2}: {field} is {Json(actual)} in the database, but entry {sequence} recorded {Json(recorded)}"));
                    break;
                }
            }
        }

        foreach (var ((table, key), row) in rows)
        {
            if (!seen.Contains((table, key)) && !tablesNotHeld.Contains(table))
            {
                problems.Add((row.LastSequence, $"{table} row {key}, recorded by entry {row.LastSequence}, is missing from the database"));
            }
        }

        return problems;
    }

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static async Task<List<(AuditedTable Table, object Row)>> LoadAsync(NegotiationDbContext db, Guid sessionId, CancellationToken cancellationToken)
    {
        var all = new List<(AuditedTable, object)>();
        async Task Add<T>(IQueryable<T> query)
            where T : class
        {
            var table = AuditRows.Tables.Single(t => t.Type == typeof(T));
            foreach (var row in await query.AsNoTracking().ToListAsync(cancellationToken))
            {
                all.Add((table, row));
            }
        }

        await Add(db.Sessions.Where(s => s.Id == sessionId));
        await Add(db.Parties.Where(p => p.SessionId == sessionId));
        await Add(db.Factors.Where(f => f.SessionId == sessionId));
        await Add(db.StrengthReadings.Where(r => r.SessionId == sessionId));
        await Add(db.Memberships.Where(m => m.SessionId == sessionId));
        await Add(db.Rounds.Where(r => r.SessionId == sessionId));
        await Add(db.Bids.Where(b => b.SessionId == sessionId));
        await Add(db.Contracts.Where(c => c.SessionId == sessionId));
        await Add(db.ContractRevisions.Where(r => db.Contracts.Any(c => c.Id == r.ContractId && c.SessionId == sessionId)));
        return all;
    }
}

/// <summary>
/// Replays the global chain's role grants (<c>UserCreated</c>, <c>RoleGranted</c>, <c>RoleRevoked</c>,
/// <c>RolesAdopted</c>) and compares them with Identity's user–role table.
/// </summary>
internal static class RoleGrantChecks
{
    public static async Task<List<(long, string)>> CheckAsync(NegotiationDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var problems = new List<(long, string)>();
        var granted = new Dictionary<(string UserId, string Role), long>();
        foreach (var entry in entries)
        {
            if (entry.Type is not (AuditEvents.UserCreated or AuditEvents.RoleGranted or AuditEvents.RoleRevoked or AuditEvents.RolesAdopted))
            {
                continue;
            }

            try
            {
                var payload = JsonNode.Parse(entry.PayloadJson);
                IEnumerable<JsonNode?> grants = entry.Type == AuditEvents.RolesAdopted ? payload?["grants"] as JsonArray ?? throw new FormatException("no grants") : [payload];
                foreach (var grant in grants)
                {
                    var id = (grant?["userId"]?.GetValue<string>() ?? throw new FormatException("no userId"), grant["role"]?.GetValue<string>() ?? throw new FormatException("no role"));
                    if (entry.Type == AuditEvents.RoleRevoked)
                    {
                        granted.Remove(id);
                    }
                    else
                    {
                        granted[id] = entry.Sequence;
                    }
                }
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                problems.Add((entry.Sequence, $"entry {entry.Sequence} has a malformed {entry.Type} payload"));
            }
        }

        var stored = await (from userRole in db.UserRoles.AsNoTracking()
                            join role in db.Roles.AsNoTracking() on userRole.RoleId equals role.Id
                            select new { userRole.UserId, role.Name }).ToListAsync(cancellationToken);
        var seen = new HashSet<(string, string)>();
        foreach (var grant in stored)
        {
            var id = (grant.UserId, grant.Name ?? "");
            seen.Add(id);
            if (!granted.ContainsKey(id))
            {
                problems.Add((entries.Count + 1L, $"roles row {grant.UserId}/{grant.Name}: the role {grant.Name} of user {grant.UserId} is in the database but no entry granted it"));
            }
        }

        foreach (var ((userId, role), sequence) in granted)
        {
            if (!seen.Contains((userId, role)))
            {
                problems.Add((sequence, $"roles row {userId}/{role}: the role {role} of user {userId}, granted by entry {sequence}, is missing from the database"));
            }
        }

        return problems;
    }
}
