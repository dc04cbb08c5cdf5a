using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

public sealed class RestartTests
{
    [Fact]
    public async Task A_server_restarted_mid_round_on_the_same_file_loses_no_acknowledged_bid()
    {
        var clock = TestClock.Create();
        var first = LiveServer.Start(clock: clock);
        var folder = first.Folder;
        Guid id;
        DateTimeOffset deadline;
        var acked = new List<BidAck>();
        try
        {
            var coordinator = await Negotiations.CreateUsersAsync(first);
            id = await Negotiations.CreateSessionAsync(coordinator);
            var chair = await coordinator.ConnectAsync();
            deadline = (await chair.Client.OpenRoundAsync(id, 120)).DeadlineUtc;
            foreach (var (name, demand) in new[] { ("gov", 40.0), ("ent", 35.0) })
            {
                var member = await (await first.SignInAsync(name)).ConnectAsync();
                acked.Add(await member.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = demand }));
            }
        }
        finally
        {
            await first.StopAsync();
        }

        await using var second = LiveServer.Start(folder, clock);
        var gov = await (await second.SignInAsync("gov")).ConnectAsync();
        var snapshot = await gov.Client.JoinSessionAsync(id);

        Assert.Equal(1, snapshot.CurrentRound!.Round);
        Assert.Equal(RoundState.Open, snapshot.CurrentRound.State);
        Assert.Equal(deadline, snapshot.CurrentRound.DeadlineUtc);
        Assert.Equal([0, 1], snapshot.CurrentRound.Bids.Select(b => b.PartyIndex));
        Assert.Equal(acked.Max(a => a.Sequence), snapshot.Sequence);

        // A resent bid is recognised as already accepted; the others finish the round.
        var again = await gov.Client.SubmitBidAsync(id, new BidSubmission { BidId = acked[0].BidId, Round = 1, Demand = 40 });
        Assert.True(again.Duplicate);
        foreach (var (name, demand) in new[] { ("uni", 15.0), ("inn", 10.0) })
        {
            var member = await (await second.SignInAsync(name)).ConnectAsync();
            await member.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = demand });
        }

        var agreement = await gov.WaitForAsync<AgreementReached>();
        // ΣD = 40 + 35 + 15 + 10 = K: compatible with no surplus, so the agreement is exactly the demands.
        Assert.Equal([40.0, 35, 15, 10], agreement.Agreement.Allocation.Select(x => Math.Round(x, 9)));
    }

    [Fact]
    public async Task An_open_rounds_deadline_still_fires_after_a_restart_with_nobody_connected()
    {
        var clock = TestClock.Create();
        var first = LiveServer.Start(clock: clock);
        var folder = first.Folder;
        Guid id;
        try
        {
            var coordinator = await Negotiations.CreateUsersAsync(first);
            id = await Negotiations.CreateSessionAsync(coordinator);
            var chair = await coordinator.ConnectAsync();
            await chair.Client.OpenRoundAsync(id, 60);
            var gov = await (await first.SignInAsync("gov")).ConnectAsync();
            await gov.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 40 });
        }
        finally
        {
            await first.StopAsync();
        }

        // No client comes back: only the server's own start (it wakes every session with an open
        // round) can arm the deadline.
        await using var second = LiveServer.Start(folder, clock);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Entities.Round round;
        while (true)
        {
            clock.Advance(TimeSpan.FromSeconds(61));
            await using (var db = second.Database())
            {
                round = await db.Rounds.AsNoTracking().Include(r => r.Bids).SingleAsync(r => r.SessionId == id && r.Number == 1);
            }

            if (round.State == RoundState.Closed)
            {
                break;
            }

            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(Entities.RoundCloseReason.Deadline, round.CloseReason);
        Assert.Equal(4, round.Bids.Count);
        Assert.Equal(3, round.Bids.Count(b => b.AutoConceded));
    }
}
