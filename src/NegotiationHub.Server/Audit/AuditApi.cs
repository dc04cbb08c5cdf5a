using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Accounts;

namespace NegotiationHub.Server.Audit;

/// <summary>
/// The latest link of a chain, to be kept outside the system and checked later, with every entry's
/// hash in order: checked against it later (<c>audit-verify --digest FILE</c>), a rewritten history
/// is named by its first changed entry.
/// </summary>
public sealed record AuditDigest(string Chain, long Sequence, string? Hash, DateTime? TimeUtc, IReadOnlyList<string> Hashes);

/// <summary>A verification, and whether the chain still contains a digest the auditor kept.</summary>
public sealed record AuditVerifyResponse(bool Valid, int Entries, long? FirstBrokenEntry, IReadOnlyList<string> Problems, string? LastHash, bool? DigestMatches);

/// <summary><c>/api/audit/…</c>: read-only verification for auditors (and admins).</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Roles.CanAudit);
        group.MapGet("/verify", VerifyAsync);
        group.MapGet("/digest", DigestAsync);
        return group;
    }

    private static async Task<IResult> VerifyAsync(Guid? sessionId, long? sequence, string? hash, IDbContextFactory<NegotiationDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (sessionId is { } id && !await db.Sessions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return TypedResults.Problem(title: "Not found.", detail: $"Session {id} was not found.", statusCode: StatusCodes.Status404NotFound);
        }

        var chain = sessionId is { } sid ? AuditChain.ForSession(sid) : AuditChain.GlobalChain;
        var result = await AuditVerifier.VerifyAsync(db, chain, cancellationToken);
        bool? digestMatches = null;
        if (sequence is not null || hash is not null)
        {
            if (sequence is null || string.IsNullOrWhiteSpace(hash))
            {
                return ValidationProblemsFor(sequence is null ? "sequence" : "hash", "give both the sequence and the hash of a digest");
            }

            if (sequence < 1)
            {
                return ValidationProblemsFor("sequence", "must be at least 1");
            }

            var digest = await AuditDigests.CheckAsync(db, chain, new KeptDigest(chain, sequence.Value, hash, null), cancellationToken);
            digestMatches = digest.Matches;
            result = result.With(digest);
        }

        return TypedResults.Ok(new AuditVerifyResponse(result.Valid, result.Entries, result.FirstBrokenEntry, result.Problems, result.LastHash, digestMatches));
    }

    private static async Task<IResult> DigestAsync(Guid? sessionId, IDbContextFactory<NegotiationDbContext> factory, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var chain = sessionId is { } sid ? AuditChain.ForSession(sid) : AuditChain.GlobalChain;
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Chain == chain).OrderBy(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash, e.TimeUtc }).ToListAsync(cancellationToken);
        if (sessionId is { } id && entries.Count == 0 && !await db.Sessions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            return TypedResults.Problem(title: "Not found.", detail: $"Session {id} was not found.", statusCode: StatusCodes.Status404NotFound);
        }

        var last = entries.Count == 0 ? null : entries[^1];
        return TypedResults.Ok(new AuditDigest(chain, last?.Sequence ?? 0, last?.Hash, last?.TimeUtc, [.. entries.Select(e => e.Hash)]));
    }

    private static IResult ValidationProblemsFor(string field, string message) => Infrastructure.ValidationProblems.Field(field, message);
}
