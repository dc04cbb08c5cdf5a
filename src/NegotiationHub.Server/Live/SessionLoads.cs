using Microsoft.EntityFrameworkCore;
using NegotiationHub.Data;
using NegotiationHub.Data.Entities;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Live;

/// <summary>Loading a whole session for a snapshot or a contract revision.</summary>
public static class SessionLoads
{
    /// <summary>The session with its parties and factors in order, strengths, members and open round's bids.</summary>
    public static async Task<NegotiationSession> LoadAsync(NegotiationDbContext db, Guid sessionId, CancellationToken cancellationToken) =>
        await db.Sessions
            .Include(s => s.Parties.OrderBy(p => p.Index))
            .Include(s => s.Factors.OrderBy(f => f.Index))
            .Include(s => s.Strengths)
            .Include(s => s.Members)
            .Include(s => s.Rounds.Where(r => r.State == RoundState.Open)).ThenInclude(r => r.Bids)
            .AsSplitQuery()
            .FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken)
        ?? throw SessionException.NotFound(sessionId);
}
