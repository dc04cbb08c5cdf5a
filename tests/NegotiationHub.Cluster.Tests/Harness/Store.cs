using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;

namespace NegotiationHub.Cluster.Tests.Harness;

/// <summary>Reads what the servers committed, straight from their database.</summary>
internal static class Store
{
    public static NegotiationDbContext Open(DatabaseProvider provider, string connectionString) =>
        new(DatabaseSetup.Configure(new DbContextOptionsBuilder<NegotiationDbContext>(), provider, connectionString).Options);

    /// <summary>
    /// Every acknowledged bid is in the database as acknowledged (same session, round, party), and
    /// each session holds exactly four bids per round it played, none auto-conceded.
    /// </summary>
    public static async Task AssertEveryAcknowledgedBidIsStoredAsync(NegotiationDbContext db, IReadOnlyCollection<BidAck> acks, IReadOnlyDictionary<Guid, int> roundsPerSession)
    {
        var sessionIds = roundsPerSession.Keys.ToList();
        var stored = await db.Bids.AsNoTracking().Where(b => sessionIds.Contains(b.SessionId)).ToListAsync();
        var byId = stored.ToDictionary(b => b.Id);
        var missing = acks.Where(a => !byId.ContainsKey(a.BidId)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acks.Count} acknowledged bids are not in the database, e.g. {missing.FirstOrDefault()}");
        foreach (var ack in acks)
        {
            var bid = byId[ack.BidId];
            Assert.Equal((ack.SessionId, ack.Round, ack.PartyIndex), (bid.SessionId, bid.RoundNumber, bid.PartyIndex));
        }

        foreach (var (sessionId, rounds) in roundsPerSession)
        {
            var bids = stored.Where(b => b.SessionId == sessionId).ToList();
            Assert.Equal(rounds * 4, bids.Count);
            Assert.DoesNotContain(bids, b => b.AutoConceded);
            Assert.All(bids.GroupBy(b => b.RoundNumber), g => Assert.Equal([0, 1, 2, 3], g.Select(b => b.PartyIndex).Order()));
        }
    }

    /// <summary>One grain per session in the cluster: each session's chain holds exactly one <c>RoundClosed</c> entry per round it played, none twice.</summary>
    public static async Task AssertEachRoundClosedOnceAsync(NegotiationDbContext db, IEnumerable<Guid> sessionIds, int rounds)
    {
        foreach (var sessionId in sessionIds)
        {
            var chain = AuditChain.ForSession(sessionId);
            Assert.Equal(rounds, await db.AuditEntries.AsNoTracking().CountAsync(e => e.Chain == chain && e.Type == AuditEvents.RoundClosed));
        }
    }
}
