using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Data.Audit;
using NegotiationHub.Server.Live;
using NegotiationHub.Server.Persistence;
using NegotiationHub.Server.Tests.Agreements;
using System.Net.Http.Json;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// A round's last bid and the round's close commit in one transaction (ADR 0012), so a failed
/// write refuses the bid whole and its resend closes the round. Where the bid commits on its own
/// (a close that cannot be decided with it), the committed bid must still be acknowledged — an
/// error would tell the member that nothing was written — and the round must not wait for its
/// deadline; a close that fails at the deadline is tried again.
/// </summary>
public sealed class RoundCloseFailureTests
{
    [Fact]
    public async Task A_last_bid_whose_write_with_the_close_is_busy_is_refused_whole_and_its_resend_closes_the_round()
    {
        var failClose = new FailingRoundClose();
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(failClose)));
        var (id, chair, members, _) = await OpenedAsync(server, deadlineSeconds: 120);
        var acks = new List<BidAck>();
        foreach (var member in members[..^1])
        {
            acks.Add(await member.Client.SubmitBidAsync(id, Bid(1, 30)));
        }

        var last = Bid(1, 30);
        failClose.FailNext();
        var refused = await Assert.ThrowsAsync<HubException>(() => members[^1].Client.SubmitBidAsync(id, last));

        Assert.EndsWith(StoreFailures.BusyMessage, refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, failClose.Failures);
        await using (var db = server.Database())
        {
            var round = await db.Rounds.AsNoTracking().Include(r => r.Bids).SingleAsync(r => r.SessionId == id);
            Assert.Equal(RoundState.Open, round.State); // nothing of the bid or of the close
            Assert.Equal(acks.Select(a => a.BidId).Order(), round.Bids.Select(b => b.Id).Order());
            Assert.Equal(acks.Max(a => a.Sequence), (await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id)).Sequence);
        }

        // The member resends it, as the message says: once, and the round closes with it.
        var ack = await members[^1].Client.SubmitBidAsync(id, last);
        var closed = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);

        Assert.False(ack.Duplicate);
        Assert.Equal(acks.Max(a => a.Sequence) + 1, ack.Sequence);
        Assert.Equal(ack.Sequence + 1, closed.Sequence);
        Assert.Equal([30.0, 30, 30, 30], closed.Analysis.Parties.Select(p => p.Demand));
        await using (var db = server.Database())
        {
            var round = await db.Rounds.AsNoTracking().SingleAsync(r => r.SessionId == id);
            Assert.Equal(Entities.RoundCloseReason.AllBid, round.CloseReason);
            Assert.Equal(4, await db.Bids.CountAsync(b => b.SessionId == id));
            var audit = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
            Assert.True(audit.Valid, string.Join("; ", audit.Problems));
        }
    }

    [Fact]
    public async Task A_close_at_the_deadline_that_finds_the_database_busy_is_tried_again_and_closes_the_round()
    {
        var failClose = new FailingRoundClose();
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(failClose)));
        var (id, chair, members, _) = await OpenedAsync(server, deadlineSeconds: 120);
        var acks = new List<BidAck>();
        foreach (var member in members[..2])
        {
            acks.Add(await member.Client.SubmitBidAsync(id, Bid(1, 30)));
        }

        failClose.FailNext();
        server.Clock.Advance(TimeSpan.FromSeconds(120));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (!failClose.Failed)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        await using (var db = server.Database())
        {
            Assert.Equal(RoundState.Open, (await db.Rounds.AsNoTracking().SingleAsync(r => r.SessionId == id)).State);
        }

        // The live session's timer tries again shortly, long before anyone would notice.
        server.Clock.Advance(LiveSessionGrain.RetryInterval);
        var closed = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);

        Assert.Equal(1, failClose.Failures);
        Assert.Equal(acks.Max(a => a.Sequence) + 1, closed.Sequence);
        Assert.Equal([false, false, true, true], closed.Analysis.Parties.Select(p => p.AutoConceded));
        await using (var db = server.Database())
        {
            var round = await db.Rounds.AsNoTracking().SingleAsync(r => r.SessionId == id);
            Assert.Equal(Entities.RoundCloseReason.Deadline, round.CloseReason);
            Assert.Equal(2, await db.Bids.CountAsync(b => b.SessionId == id && b.AutoConceded));
            var audit = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
            Assert.True(audit.Valid, string.Join("; ", audit.Problems));
        }
    }

    [Fact]
    public async Task A_last_bid_whose_close_cannot_be_decided_commits_alone_and_is_acknowledged_and_the_round_closes_at_the_next_try()
    {
        var failStrengths = new FailingQuery("StrengthReadings");
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(failStrengths)));
        var (id, chair, members, coordinator) = await OpenedAsync(server, deadlineSeconds: 120);
        foreach (var member in members)
        {
            await member.Client.SubmitBidAsync(id, Bid(1, 40));
        }

        await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);

        // New strengths open period 1, whose problem no one has read yet: the last bid must read
        // it to close the round, and that read fails.
        var recorded = await coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/strengths", new { period = 1, strengths = ContractFixture.Strengths(4) });
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        await chair.Client.OpenRoundAsync(id, 120);
        var acks = new List<BidAck>();
        foreach (var member in members)
        {
            if (member == members[^1])
            {
                failStrengths.Arm();
            }

            acks.Add(await member.Client.SubmitBidAsync(id, Bid(2, 30)));
        }

        Assert.True(failStrengths.Failures >= 1);
        Assert.All(acks, a => Assert.False(a.Duplicate));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => acks[0].Sequence + i), acks.Select(a => a.Sequence));
        await using (var db = server.Database())
        {
            var round = await db.Rounds.AsNoTracking().Include(r => r.Bids).SingleAsync(r => r.SessionId == id && r.Number == 2);
            Assert.Equal(RoundState.Open, round.State);
            Assert.Equal(acks.Select(a => a.BidId).Order(), round.Bids.Select(b => b.Id).Order());
        }

        failStrengths.Disarm();
        server.Clock.Advance(LiveSessionGrain.RetryInterval);
        var closed = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 2);

        Assert.Equal(acks[^1].Sequence + 1, closed.Sequence);
        var optimum = ContractFixture.Optimum(4); // MODEL §1 by hand: the powers of period 1
        Assert.Equal(optimum, closed.Analysis.Parties.Select(p => p.Power), (a, b) => Math.Abs(a - b) < 1e-12);
        await using (var db = server.Database())
        {
            var round = await db.Rounds.AsNoTracking().SingleAsync(r => r.SessionId == id && r.Number == 2);
            Assert.Equal(Entities.RoundCloseReason.AllBid, round.CloseReason);
            Assert.Equal(1, round.Period);
            var audit = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
            Assert.True(audit.Valid, string.Join("; ", audit.Problems));
        }
    }

    /// <summary>An opened 3+1 session with its first round open, its coordinator's connection and its four members' (all joined), and the coordinator signed in.</summary>
    private static async Task<(Guid Id, HubClient Chair, HubClient[] Members, LiveServer.Session Coordinator)> OpenedAsync(LiveServer server, int deadlineSeconds)
    {
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var id = await Negotiations.CreateSessionAsync(coordinator);
        var chair = await coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        var members = new List<HubClient>();
        foreach (var name in Negotiations.MemberNames)
        {
            var member = await (await server.SignInAsync(name)).ConnectAsync();
            await member.Client.JoinSessionAsync(id);
            members.Add(member);
        }

        await chair.Client.OpenRoundAsync(id, deadlineSeconds);
        return (id, chair, [.. members], coordinator);
    }

    private static BidSubmission Bid(int round, double demand) => new() { BidId = Guid.NewGuid(), Round = round, Demand = demand };
}
