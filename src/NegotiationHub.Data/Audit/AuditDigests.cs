using Microsoft.EntityFrameworkCore;

namespace NegotiationHub.Data.Audit;

/// <summary>
/// A digest an auditor kept outside the system: the chain's head (<paramref name="Sequence"/>,
/// <paramref name="Hash"/>) and, in the full form <c>GET /api/audit/digest</c> serves, every
/// entry's hash in order, which lets a later check name the first entry that was rewritten.
/// </summary>
public sealed record KeptDigest(string? Chain, long Sequence, string? Hash, IReadOnlyList<string>? Hashes);

/// <summary>Checks a chain against a kept digest.</summary>
public static class AuditDigests
{
    /// <summary>Whether <paramref name="chain"/> still holds <paramref name="kept"/>; if not, the first entry that differs and why.</summary>
    public static async Task<(bool Matches, long? FirstDiffering, string? Problem)> CheckAsync(NegotiationDbContext db, string chain, KeptDigest kept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(kept);
        var hashes = await db.AuditEntries.AsNoTracking().Where(e => e.Chain == chain).OrderBy(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).ToListAsync(cancellationToken);
        var bySequence = new Dictionary<long, string>();
        foreach (var h in hashes)
        {
            bySequence.TryAdd(h.Sequence, h.Hash);
        }

        var count = hashes.Count == 0 ? 0 : hashes[^1].Sequence;
        if (kept.Hashes is { Count: > 0 } all)
        {
            for (var i = 0; i < all.Count; i++)
            {
                var sequence = i + 1L;
                if (!bySequence.TryGetValue(sequence, out var hash))
                {
                    return (false, sequence, sequence > count
                        ? $"the chain ends at entry {count}, but the kept digest has {all.Count} entries: entries {count + 1}–{all.Count} were removed"
                        : $"entry {sequence} of the kept digest is missing from the chain");
                }

                if (!string.Equals(hash, all[i], StringComparison.OrdinalIgnoreCase))
                {
                    return (false, sequence, $"entry {sequence} differs from the kept digest: history from entry {sequence} on was rewritten");
                }
            }

            return (true, null, null);
        }

        if (string.IsNullOrWhiteSpace(kept.Hash) || kept.Sequence < 1)
        {
            throw new ArgumentException("a kept digest needs a sequence ≥ 1 and a hash, or the list of hashes", nameof(kept));
        }

        if (!bySequence.TryGetValue(kept.Sequence, out var at))
        {
            return (false, Math.Min(kept.Sequence, count + 1), $"the chain ends at entry {count}, but the kept digest is of entry {kept.Sequence}: entries after {count} were removed");
        }

        return string.Equals(at, kept.Hash.Trim(), StringComparison.OrdinalIgnoreCase)
            ? (true, null, null)
            : (false, kept.Sequence, $"entry {kept.Sequence} no longer has the kept hash {kept.Hash}: history at or before it was rewritten (a full digest, with every entry's hash, names the first entry that differs)");
    }

    /// <summary>Adds a digest check's outcome to a verification.</summary>
    public static AuditVerification With(this AuditVerification verification, (bool Matches, long? FirstDiffering, string? Problem) digest)
    {
        ArgumentNullException.ThrowIfNull(verification);
        if (digest.Matches)
        {
            return verification;
        }

        var first = verification.FirstBrokenEntry is { } f && f < digest.FirstDiffering ? f : digest.FirstDiffering;
        IReadOnlyList<string> problems = first == digest.FirstDiffering ? [digest.Problem!, .. verification.Problems] : [.. verification.Problems, digest.Problem!];
        return verification with { Valid = false, FirstBrokenEntry = first, Problems = problems };
    }
}
