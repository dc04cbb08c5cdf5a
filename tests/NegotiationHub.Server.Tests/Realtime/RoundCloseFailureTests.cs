using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Server.Rounds;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// The last bid of a round commits in one transaction and the round closes in the next. When the
/// close fails (a busy SQLite file, another node's race), the committed bid must still be
/// acknowledged — an error would tell the member that nothing was written — and the round must
/// not wait for its deadline.
/// </summary>
public sealed class RoundCloseFailureTests
{
    [Fact]
    public async Task A_last_bid_whose_round_close_fails_is_acknowledged_and_the_deadline_service_closes_the_round_at_its_next_tick()
    {
        var failClose = new FailingRoundClose();
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(failClose)));
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var id = await Negotiations.CreateSessionAsync(coordinator);
        var chair = await coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        await chair.Client.OpenRoundAsync(id, 120);
        var acks = new List<BidAck>();
        foreach (var name in Negotiations.MemberNames)
        {
            var member = await (await server.SignInAsync(name)).ConnectAsync();
            if (name == Negotiations.MemberNames[^1])
            {
                failClose.FailNext();
            }

            acks.Add(await member.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 }));
        }

        Assert.True(failClose.Failed);
        Assert.All(acks, a => Assert.False(a.Duplicate));
        await using (var db = server.Database())
        {
            var round = await db.Rounds.Include(r => r.Bids).SingleAsync(r => r.SessionId == id);
            Assert.Equal(Entities.RoundState.Open, round.State);
            Assert.Equal(acks.Select(a => a.BidId).Order(), round.Bids.Select(b => b.Id).Order());
        }

        // One poll later — long before the 120 s deadline — the round is closed as "all bid".
        server.Clock.Advance(DeadlineService.Interval);
        var closed = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);

        Assert.Equal([30.0, 30, 30, 30], closed.Analysis.Parties.Select(p => p.Demand));
        Assert.Equal(acks.Max(a => a.Sequence) + 1, closed.Sequence);
        await using (var db = server.Database())
        {
            var round = await db.Rounds.SingleAsync(r => r.SessionId == id);
            Assert.Equal(Entities.RoundCloseReason.AllBid, round.CloseReason);
            Assert.Equal(4, await db.Bids.CountAsync(b => b.SessionId == id && !b.AutoConceded));
        }
    }
}
