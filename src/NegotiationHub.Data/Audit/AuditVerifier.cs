using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data.Entities;

namespace NegotiationHub.Data.Audit;

/// <summary>The outcome of verifying a chain.</summary>
/// <param name="Chain">The chain verified (a session id in N format, or <c>global</c>).</param>
/// <param name="Valid">True when the chain is intact and the stored records agree with it.</param>
/// <param name="Entries">How many entries the chain has.</param>
/// <param name="FirstBrokenEntry">The sequence of the first entry that is broken or contradicted, or null.</param>
/// <param name="Problems">What was found, in words, first broken entry first.</param>
/// <param name="LastHash">The hash of the chain's last entry (the digest), or null for an empty chain.</param>
public sealed record AuditVerification(string Chain, bool Valid, int Entries, long? FirstBrokenEntry, IReadOnlyList<string> Problems, string? LastHash);

/// <summary>
/// Verifies a chain: (1) its links — sequence 1, 2, 3…, each previous hash the predecessor's hash,
/// each hash recomputed from the entry; (2) every row the API serves against it — a session chain's
/// entries record the rows each write made (<see cref="AuditRows"/>, ADR 0017), and every stored
/// row of the session's tables must be the replay of those records, field by field, with nothing
/// recorded missing and nothing stored unrecorded; the global chain's entries record every role
/// grant. A writer who edits a row, or edits an entry and recomputes its hash, is caught by (2) or
/// by the successor's link; one who rewrites the whole chain consistently is caught by comparing
/// with a digest kept elsewhere (<see cref="AuditDigests"/>).
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(NegotiationDbContext db, string chain, CancellationToken cancellationToken, IReadOnlySet<string>? tablesNotHeld = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Chain == chain).OrderBy(e => e.Sequence).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var problems = new List<(long Sequence, string Text)>();

        var broken = AuditChain.FirstBroken(entries);
        if (broken is { } b)
        {
            problems.Add((b, $"entry {b} does not link to its predecessor or its hash does not match its contents"));
        }

        if (Guid.TryParseExact(chain, "N", out var sessionId))
        {
            // Chains begun before rows were recorded (2026-12-06) prove their bids only, as then.
            var legacy = entries.Count > 0 && !HasRows(entries[0]);
            if (legacy)
            {
                problems.AddRange(await CheckBidsAsync(db, sessionId, entries, cancellationToken));
            }

            problems.AddRange(await RowChecks.CheckAsync(db, sessionId, entries, strict: !legacy, tablesNotHeld ?? new HashSet<string>(), cancellationToken));
        }
        else if (chain == AuditChain.GlobalChain)
        {
            problems.AddRange(await RoleGrantChecks.CheckAsync(db, entries, cancellationToken));
        }

        var ordered = problems.OrderBy(p => p.Sequence).ToList();
        return new AuditVerification(
            chain,
            ordered.Count == 0,
            entries.Count,
            ordered.Count == 0 ? null : ordered[0].Sequence,
            ordered.Select(p => p.Text).Distinct().ToList(),
            entries.Count == 0 ? null : entries[^1].Hash);
    }

    private static bool HasRows(AuditEntry entry)
    {
        try
        {
            using var payload = JsonDocument.Parse(entry.PayloadJson);
            return payload.RootElement.ValueKind == JsonValueKind.Object && payload.RootElement.TryGetProperty(AuditRows.PayloadProperty, out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
    private static async Task<List<(long, string)>> CheckBidsAsync(NegotiationDbContext db, Guid sessionId, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<Guid, (long Sequence, int Round, int Party, double Demand)>();
        var problems = new List<(long, string)>();
        foreach (var entry in entries)
        {
            try
            {
                using var payload = JsonDocument.Parse(entry.PayloadJson);
                var root = payload.RootElement;
                if (entry.Type == "BidAccepted")
                {
                    recorded[root.GetProperty("bidId").GetGuid()] = (entry.Sequence, root.GetProperty("round").GetInt32(), root.GetProperty("partyIndex").GetInt32(), root.GetProperty("demand").GetDouble());
                }
                else if (entry.Type == "RoundClosed" && root.TryGetProperty("autoConceded", out var auto))
                {
                    var round = root.GetProperty("round").GetInt32();
                    foreach (var bid in auto.EnumerateArray())
                    {
                        recorded[bid.GetProperty("bidId").GetGuid()] = (entry.Sequence, round, bid.GetProperty("partyIndex").GetInt32(), bid.GetProperty("demand").GetDouble());
                    }
                }
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                // a payload that is not what its type promises is itself tampering
                problems.Add((entry.Sequence, $"entry {entry.Sequence} has a malformed {entry.Type} payload"));
            }
        }

        var bids = await db.Bids.AsNoTracking().Where(x => x.SessionId == sessionId).ToListAsync(cancellationToken);
        var seen = new HashSet<Guid>();
        foreach (var bid in bids)
        {
            seen.Add(bid.Id);
            if (!recorded.TryGetValue(bid.Id, out var r))
            {
                problems.Add((entries.Count + 1L, $"bid {bid.Id} (round {bid.RoundNumber}, party {bid.PartyIndex}) is in the database but was never recorded in the chain"));
            }
            else if (r.Round != bid.RoundNumber || r.Party != bid.PartyIndex || r.Demand != bid.Demand)
            {
                problems.Add((r.Sequence, $"bid {bid.Id} differs from entry {r.Sequence}: stored demand {bid.Demand} (round {bid.RoundNumber}, party {bid.PartyIndex}), recorded {r.Demand} (round {r.Round}, party {r.Party})"));
            }
        }

        foreach (var (id, r) in recorded)
        {
            if (!seen.Contains(id))
            {
                problems.Add((r.Sequence, $"bid {id} recorded in entry {r.Sequence} is missing from the database"));
            }
        }

        return problems;
    }
}
