using Microsoft.EntityFrameworkCore;
using NegotiationHub.Contracts;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>A 3+1 session driven end to end through real SignalR clients over real WebSockets.</summary>
public sealed class NegotiationFlowTests : IAsyncLifetime
{
    private LiveServer _server = null!;
    private LiveServer.Session _coordinator = null!;

    public async Task InitializeAsync()
    {
        _server = LiveServer.Start();
        _coordinator = await Negotiations.CreateUsersAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Four_members_and_a_coordinator_negotiate_to_agreement()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var chair = await _coordinator.ConnectAsync();
        var members = await ConnectMembersAsync(id);
        var snapshot = await chair.Client.JoinSessionAsync(id);
        Assert.All(snapshot.Parties, p => Assert.Equal(0.25, p.Power, 12));

        // Round 1: demands (40, 30, 30, 30): gap 30; ρ = D/h = (160, 120, 120, 120) ⇒ party 0 concedes.
        var opened = await chair.Client.OpenRoundAsync(id, 60);
        Assert.Equal(1, opened.Round);
        await Task.WhenAll(members.Select(m => m.Hub.WaitForAsync<RoundOpened>(r => r.Round == 1)));
        double[] round1 = [40, 30, 30, 30];
        for (var i = 0; i < 4; i++)
        {
            var ack = await members[i].Hub.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = round1[i] });
            Assert.Equal(i, ack.PartyIndex);
            Assert.False(ack.Duplicate);
        }

        var closed1 = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);
        Assert.False(closed1.Analysis.Compatible);
        Assert.Equal(30, closed1.Analysis.Gap, 9);
        Assert.Equal([0], closed1.Analysis.MustConcede);
        Assert.All(closed1.Analysis.Parties, p => Assert.Equal(25, p.Target, 9));
        Assert.Equal((15 + 5 + 5 + 5) / 100.0, closed1.Analysis.Distance, 9);
        // The model's next step for each party (issue 17): D_i + λ(k*_i − D_i), λ the session's auto-concession fraction.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(round1[i] + (Bargaining.Rounds.ConcessionRule.DefaultLambda * (25 - round1[i])), closed1.Analysis.Parties[i].NextDemand!.Value, 9);
        }


        // Round 2: (25, 25, 25, 20) fits: surplus 5 split by h ⇒ (26.25, 26.25, 26.25, 21.25).
        await chair.Client.OpenRoundAsync(id, 60);
        double[] round2 = [25, 25, 25, 20];
        await Task.WhenAll(members.Select((m, i) => m.Hub.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 2, Demand = round2[i] })));

        var agreement = await chair.WaitForAsync<AgreementReached>();
        Assert.Equal(2, agreement.Agreement.Round);
        Assert.Equal([26.25, 26.25, 26.25, 21.25], agreement.Agreement.Allocation.Select(x => Math.Round(x, 9)));
        Assert.Equal(1, agreement.Agreement.Shares.Sum(), 12);
        foreach (var member in members)
        {
            var seen = await member.Hub.WaitForAsync<AgreementReached>();
            Assert.Equal(agreement.Agreement.ContractId, seen.Agreement.ContractId);
        }

        // Every message of the session came with a strictly increasing sequence number.
        var sequences = chair.Received<RoundOpened>().Select(m => m.Sequence)
            .Concat(chair.Received<BidAccepted>().Select(m => m.Sequence))
            .Concat(chair.Received<RoundClosed>().Select(m => m.Sequence))
            .Concat(chair.Received<AgreementReached>().Select(m => m.Sequence))
            .Order().ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);

        await using var db = _server.Database();
        var contract = await db.Contracts.Include(c => c.Revisions).SingleAsync(c => c.SessionId == id);
        Assert.Equal(0, Assert.Single(contract.Revisions).Number);
        Assert.Equal(8, await db.Bids.CountAsync(b => b.SessionId == id));
        Assert.Equal("Agreed", (await db.Sessions.SingleAsync(s => s.Id == id)).State.ToString());
    }

    [Fact]
    public async Task Sealed_bids_hide_values_until_the_round_closes_and_open_bids_show_them()
    {
        foreach (var mode in new[] { "sealed", "open" })
        {
            var id = await Negotiations.CreateSessionAsync(_coordinator, mode);
            var chair = await _coordinator.ConnectAsync();
            await chair.Client.JoinSessionAsync(id);
            var members = await ConnectMembersAsync(id);
            await chair.Client.OpenRoundAsync(id, 60);
            await members[0].Hub.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 40 });

            var seenByOther = await members[1].Hub.WaitForAsync<BidAccepted>(b => b.PartyIndex == 0);
            var seenSnapshot = await members[1].Hub.Client.JoinSessionAsync(id);
            if (mode == "sealed")
            {
                Assert.Null(seenByOther.Demand);
                Assert.Null(Assert.Single(seenSnapshot.CurrentRound!.Bids).Demand);
            }
            else
            {
                Assert.Equal(40, seenByOther.Demand);
                Assert.Equal(40, Assert.Single(seenSnapshot.CurrentRound!.Bids).Demand);
            }

            // The bidder always sees its own value.
            var own = await members[0].Hub.Client.JoinSessionAsync(id);
            Assert.Equal(40, Assert.Single(own.CurrentRound!.Bids).Demand);
        }
    }

    [Fact]
    public async Task A_passed_deadline_closes_the_round_and_auto_concedes_the_late_party()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        var members = await ConnectMembersAsync(id);
        await chair.Client.OpenRoundAsync(id, 30);
        for (var i = 0; i < 3; i++)
        {
            await members[i].Hub.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 });
        }

        _server.Clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(300);
        Assert.Empty(chair.Received<RoundClosed>());

        _server.Clock.Advance(TimeSpan.FromSeconds(2));
        var closed = await chair.WaitForAsync<RoundClosed>();

        // MODEL §4 default: D = K + λ(k* − K) = 100 + 0.5·(25 − 100) = 62.5 for the party that never bid.
        var late = closed.Analysis.Parties[3];
        Assert.True(late.AutoConceded);
        Assert.Equal(62.5, late.Demand, 9);
        Assert.All(closed.Analysis.Parties.Take(3), p => Assert.False(p.AutoConceded));

        await using var db = _server.Database();
        var round = await db.Rounds.SingleAsync(r => r.SessionId == id && r.Number == 1);
        Assert.Equal("Deadline", round.CloseReason.ToString());
        Assert.True((await db.Bids.SingleAsync(b => b.SessionId == id && b.PartyIndex == 3)).AutoConceded);
    }

    [Fact]
    public async Task Submitting_the_same_bid_twice_has_no_second_effect()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        var members = await ConnectMembersAsync(id);
        await chair.Client.OpenRoundAsync(id, 60);
        var bid = new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 35 };

        var first = await members[2].Hub.Client.SubmitBidAsync(id, bid);
        var second = await members[2].Hub.Client.SubmitBidAsync(id, bid);

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(first.BidId, second.BidId);
        await chair.WaitForAsync<BidAccepted>();
        await Task.Delay(200);
        Assert.Single(chair.Received<BidAccepted>());
        await using var db = _server.Database();
        Assert.Equal(1, await db.Bids.CountAsync(b => b.SessionId == id));
    }

    [Fact]
    public async Task All_parties_bidding_at_once_lose_nothing_and_close_the_round_once()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        var members = await ConnectMembersAsync(id);
        await chair.Client.OpenRoundAsync(id, 60);

        var acks = await Task.WhenAll(members.Select((m, i) =>
            Task.Run(() => m.Hub.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 + i }))));

        Assert.Equal([0, 1, 2, 3], acks.Select(a => a.PartyIndex).Order());
        Assert.Equal(4, acks.Select(a => a.Sequence).Distinct().Count());
        var closed = await chair.WaitForAsync<RoundClosed>();
        Assert.Equal([30.0, 31, 32, 33], closed.Analysis.Parties.Select(p => p.Demand));
        await Task.Delay(200);
        Assert.Single(chair.Received<RoundClosed>());
        await using var db = _server.Database();
        Assert.Equal(4, await db.Bids.CountAsync(b => b.SessionId == id));
    }

    [Fact]
    public async Task A_member_who_reconnects_gets_a_snapshot_with_its_bid_and_the_open_round()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        var gov = await _server.SignInAsync("gov");
        var first = await gov.ConnectAsync();
        await first.Client.JoinSessionAsync(id);
        var opened = await chair.Client.OpenRoundAsync(id, 60);
        await first.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 44 });
        await first.DisposeAsync();

        var again = await gov.ConnectAsync();
        var snapshot = await again.Client.JoinSessionAsync(id);

        Assert.Equal(0, snapshot.OwnPartyIndex);
        Assert.Equal(1, snapshot.CurrentRound!.Round);
        Assert.Equal(opened.DeadlineUtc, snapshot.CurrentRound.DeadlineUtc);
        Assert.Equal(44, Assert.Single(snapshot.CurrentRound.Bids).Demand);
        Assert.True(snapshot.Sequence >= 2);
    }

    [Fact]
    public async Task Presence_shows_who_is_in_the_room_and_updates_when_someone_leaves()
    {
        var id = await Negotiations.CreateSessionAsync(_coordinator);
        var chair = await _coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        var gov = await (await _server.SignInAsync("gov")).ConnectAsync();
        await gov.Client.JoinSessionAsync(id);

        var both = await chair.WaitForAsync<PresenceChanged>(p => p.Online.Count == 2);
        Assert.Equal([0], both.Online.Where(o => o.PartyIndex is not null).Select(o => o.PartyIndex!.Value));
        Assert.Contains(both.Online, o => o.UserName == "coordinator");

        await gov.DisposeAsync();
        var alone = await chair.WaitForAsync<PresenceChanged>(p => p.Online.Count == 1);
        Assert.Equal("coordinator", Assert.Single(alone.Online).UserName);
    }

    private async Task<(LiveServer.Session Session, HubClient Hub)[]> ConnectMembersAsync(Guid id)
    {
        var result = new List<(LiveServer.Session, HubClient)>();
        foreach (var name in Negotiations.MemberNames)
        {
            var session = await _server.SignInAsync(name);
            var hub = await session.ConnectAsync();
            var snapshot = await hub.Client.JoinSessionAsync(id);
            Assert.Equal(Array.IndexOf(Negotiations.MemberNames, name), snapshot.OwnPartyIndex);
            result.Add((session, hub));
        }

        return [.. result];
    }
}
