using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Contracts;
using NegotiationHub.Data.Audit;
using NegotiationHub.Data;
using NegotiationHub.Server.Live;
using NegotiationHub.Server.Tests.Agreements;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// ADR 0012: a live session's grain decides bids, round openings and closes from the state it
/// loaded once, which may be stale. What is checked here is that it is used (the hot path reads
/// nothing), and that a stale one never commits anything fresh data would not: another node's
/// writes, a reused bid id and a member added later all come out as if it had read everything.
/// </summary>
public sealed class LiveSessionStateTests
{
    [Fact]
    public async Task After_a_join_every_opening_bid_and_close_is_committed_from_the_live_state_and_the_audit_chain_holds()
    {
        await using var server = LiveServer.Start();
        var (_, id, chair) = await SessionAsync(server);
        var members = await MembersAsync(server, id);
        var metrics = Metrics(server);
        var (loads, commits) = (metrics.Loads, metrics.Commits);

        await chair.Client.OpenRoundAsync(id, 60); // joining loaded the session: no load
        await BidAsync(members, id, 1, [40, 30, 30, 30]);
        await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);
        await chair.Client.OpenRoundAsync(id, 60);
        await BidAsync(members, id, 2, [25, 25, 25, 20]);
        await chair.WaitForAsync<AgreementReached>();

        Assert.Equal(loads, metrics.Loads);
        Assert.Equal(commits + 1 + 4 + 1 + 4, metrics.Commits); // both openings and the bids; each last bid with its close
        Assert.Equal(0, metrics.Stale);

        // The messages' sequence is contiguous and the chain verifies, bids included.
        var sequences = chair.Received<RoundOpened>().Select(m => m.Sequence)
            .Concat(chair.Received<BidAccepted>().Select(m => m.Sequence))
            .Concat(chair.Received<RoundClosed>().Select(m => m.Sequence))
            .Concat(chair.Received<AgreementReached>().Select(m => m.Sequence))
            .Order().ToList();
        Assert.Equal(Enumerable.Range(1, 2 + 8 + 2 + 1).Select(i => (long)i), sequences);
        await using var db = server.Database();
        var audit = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
        Assert.True(audit.Valid, string.Join("; ", audit.Problems));
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id);
        Assert.Equal(13, session.Sequence);
        Assert.Equal(8, await db.Bids.CountAsync(b => b.SessionId == id));
    }

    [Fact]
    public async Task A_rounds_last_bid_and_its_close_are_one_transaction_and_every_other_bid_is_one_of_its_own()
    {
        var saves = new RecordingSaves();
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(saves)));
        var (_, id, chair) = await SessionAsync(server);
        var members = await MembersAsync(server, id);
        await chair.Client.OpenRoundAsync(id, 60);
        var before = saves.Saves.Count;

        var acks = new List<BidAck>();
        foreach (var (member, demand) in members.Zip([40.0, 30, 30, 30]))
        {
            acks.Add(await member.Client.SubmitBidAsync(id, Bid(1, demand)));
        }

        var closed = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);
        var written = saves.Saves.Skip(before).ToList();

        // Four transactions: three bids alone, then the last bid with the close.
        Assert.Equal(acks.Select(a => (IReadOnlyList<Guid>)[a.BidId]), written.Select(s => s.AddedBids));
        Assert.Equal([[], [], [], [1]], written.Select(s => s.ClosedRounds));
        // Messages in commit order: the last bid's BidAccepted, then RoundClosed.
        Assert.Equal(acks[^1].Sequence + 1, closed.Sequence);
        Assert.Equal(acks[0].Sequence + 3, acks[^1].Sequence);
        await using var db = server.Database();
        var session = await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id);
        Assert.Equal(closed.Sequence, session.Sequence);
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Chain == AuditChain.ForSession(id)).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal([AuditEvents.BidAccepted, AuditEvents.RoundClosed], entries.TakeLast(2).Select(e => e.Type));
        var audit = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
        Assert.True(audit.Valid, string.Join("; ", audit.Problems));
    }

    [Fact]
    public async Task A_bid_taken_on_another_node_makes_this_nodes_state_stale_and_the_same_party_is_refused_here()
    {
        await using var a = LiveServer.Start();
        var (_, id, chair) = await SessionAsync(a);
        await chair.Client.OpenRoundAsync(id, 3600);
        var onA = await MembersAsync(a, id);
        await onA[0].Client.SubmitBidAsync(id, Bid(1, 40));
        await onA[1].Client.SubmitBidAsync(id, Bid(1, 30));

        // Another node on the same database takes party 2's bid: a's live state does not know.
        var b = LiveServer.Start(a.Folder);
        try
        {
            var uniOnB = await (await b.SignInAsync("uni")).ConnectAsync();
            await uniOnB.Client.SubmitBidAsync(id, Bid(1, 20));
        }
        finally
        {
            await b.StopAsync();
        }

        var metrics = Metrics(a);
        var refused = await Assert.ThrowsAsync<HubException>(() => onA[2].Client.SubmitBidAsync(id, Bid(1, 35)));
        Assert.Contains("already bid in round 1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, metrics.Stale);

        await onA[3].Client.SubmitBidAsync(id, Bid(1, 30));
        var closed = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);
        Assert.Equal([40.0, 30, 20, 30], closed.Analysis.Parties.Select(p => p.Demand));
        await using var db = a.Database();
        Assert.Equal(4, await db.Bids.CountAsync(x => x.SessionId == id));
        var audit = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
        Assert.True(audit.Valid, string.Join("; ", audit.Problems));
    }

    [Fact]
    public async Task A_round_closed_and_reopened_on_another_node_is_what_bids_here_are_checked_against()
    {
        await using var a = LiveServer.Start();
        var (_, id, chair) = await SessionAsync(a);
        await chair.Client.OpenRoundAsync(id, 3600);
        var onA = await MembersAsync(a, id);
        await onA[0].Client.SubmitBidAsync(id, Bid(1, 40)); // a's state has round 1 open

        var b = LiveServer.Start(a.Folder);
        try
        {
            var chairOnB = await (await b.SignInAsync("coordinator")).ConnectAsync();
            await chairOnB.Client.CloseRoundAsync(id);
            await chairOnB.Client.OpenRoundAsync(id, 3600);
        }
        finally
        {
            await b.StopAsync();
        }

        var late = await Assert.ThrowsAsync<HubException>(() => onA[1].Client.SubmitBidAsync(id, Bid(1, 30)));
        Assert.Contains("must be the open round 2", late.Message, StringComparison.Ordinal);
        var ack = await onA[1].Client.SubmitBidAsync(id, Bid(2, 30));
        Assert.Equal(2, ack.Round);
        await using var db = a.Database();
        Assert.Equal(2, await db.Rounds.CountAsync(r => r.SessionId == id));
        Assert.Equal(1, await db.Bids.CountAsync(x => x.SessionId == id && x.RoundNumber == 2));
        var audit = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
        Assert.True(audit.Valid, string.Join("; ", audit.Problems));
    }

    [Fact]
    public async Task A_bid_id_of_an_earlier_round_is_acknowledged_as_that_bid_and_nothing_is_written()
    {
        await using var server = LiveServer.Start();
        var (_, id, chair) = await SessionAsync(server);
        var members = await MembersAsync(server, id);
        await chair.Client.OpenRoundAsync(id, 60);
        var first = Bid(1, 40);
        await members[0].Client.SubmitBidAsync(id, first);
        await BidAsync(members[1..], id, 1, [30, 30, 30]);
        await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);
        await chair.Client.OpenRoundAsync(id, 60);

        var again = await members[0].Client.SubmitBidAsync(id, first with { Round = 2 });

        Assert.True(again.Duplicate);
        Assert.Equal(1, again.Round);
        await using var db = server.Database();
        Assert.Equal(0, await db.Bids.CountAsync(x => x.SessionId == id && x.RoundNumber == 2));
        // The refused write did not spoil the chain for the next bid, which goes through.
        var next = await members[0].Client.SubmitBidAsync(id, Bid(2, 35));
        Assert.False(next.Duplicate);
        var audit = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
        Assert.True(audit.Valid, string.Join("; ", audit.Problems));
    }

    [Fact]
    public async Task Adding_a_member_moves_the_sessions_version_and_the_new_member_can_bid_at_once()
    {
        await using var server = LiveServer.Start();
        var (coordinator, id, chair) = await SessionAsync(server);
        await chair.Client.OpenRoundAsync(id, 60);
        var metrics = Metrics(server);
        long version;
        await using (var db = server.Database())
        {
            version = (await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id)).Version;
        }

        var added = await coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/members", new { userName = "outsider", partyIndex = 0 });

        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        await using (var db = server.Database())
        {
            Assert.Equal(version + 1, (await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id)).Version);
        }

        // The live state does not know the member: its refusal is decided again on fresh data, which does.
        var outsider = await (await server.SignInAsync("outsider")).ConnectAsync();
        var ack = await outsider.Client.SubmitBidAsync(id, Bid(1, 30));
        Assert.Equal(0, ack.PartyIndex);
        Assert.Equal(0, metrics.Stale);
    }

    [Fact]
    public async Task A_round_of_a_later_period_is_closed_from_the_live_state_with_that_periods_powers()
    {
        await using var server = LiveServer.Start();
        var (coordinator, id, chair) = await SessionAsync(server);
        var members = await MembersAsync(server, id);
        var metrics = Metrics(server);
        await chair.Client.OpenRoundAsync(id, 60);
        await BidAsync(members, id, 1, [40, 30, 30, 30]);
        var first = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);
        var recorded = await coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/strengths", new { period = 1, strengths = ContractFixture.Strengths(4) });
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        await chair.Client.OpenRoundAsync(id, 60); // the strengths moved the version: this write is stale and redone on fresh data
        var loads = metrics.Loads;

        await BidAsync(members, id, 2, [40, 30, 30, 30]);
        var second = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 2);

        Assert.Equal(loads, metrics.Loads); // the bids and the close read nothing
        Assert.All(first.Analysis.Parties, p => Assert.Equal(0.25, p.Power, 12)); // equal strengths (period 0)
        var optimum = ContractFixture.Optimum(4); // MODEL §1 by hand; linear, d = 0: k* = h·K
        Assert.Equal(optimum, second.Analysis.Parties.Select(p => p.Power), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(optimum.Select(h => h * 100), second.Analysis.Parties.Select(p => p.Target), (a, b) => Math.Abs(a - b) < 1e-9);
        await using var db = server.Database();
        var stored = await db.Rounds.AsNoTracking().SingleAsync(r => r.SessionId == id && r.Number == 2);
        Assert.Equal(1, stored.Period);
        Assert.Equal(Entities.RoundCloseReason.AllBid, stored.CloseReason);
        Assert.Equal(second.Analysis.Distance, stored.Distance);
    }

    [Fact]
    public async Task A_last_bid_and_close_from_a_stale_state_are_redone_at_once_on_fresh_data()
    {
        var failClose = new FailingRoundClose();
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(failClose)));
        var (_, id, chair) = await SessionAsync(server);
        var members = await MembersAsync(server, id);
        var metrics = Metrics(server);
        await chair.Client.OpenRoundAsync(id, 60);
        var acks = new List<BidAck>();
        for (var i = 0; i < members.Length; i++)
        {
            if (i == members.Length - 1)
            {
                failClose.FailNext(busy: false);
            }

            acks.Add(await members[i].Client.SubmitBidAsync(id, Bid(1, 25)));
        }

        // No clock moves here, so no timer runs: the last bid's call redid its write on fresh data.
        var closed = await chair.WaitForAsync<RoundClosed>(r => r.Analysis.Round == 1);
        var agreed = await chair.WaitForAsync<AgreementReached>();

        Assert.Equal(1, failClose.Failures);
        Assert.Equal(1, metrics.Stale);
        Assert.Equal(acks.Max(a => a.Sequence) + 1, closed.Sequence);
        Assert.Equal(closed.Sequence + 1, agreed.Sequence);
        Assert.Equal([25.0, 25, 25, 25], agreed.Agreement.Allocation);
        await using var db = server.Database();
        Assert.Equal(1, await db.Contracts.CountAsync(c => c.SessionId == id));
        Assert.Equal(agreed.Sequence, (await db.Sessions.AsNoTracking().SingleAsync(s => s.Id == id)).Sequence);
        var audit = await AuditVerifier.VerifyAsync(db, AuditChain.ForSession(id), CancellationToken.None);
        Assert.True(audit.Valid, string.Join("; ", audit.Problems));
    }

    /// <summary>Users, an opened 3+1 session, and its coordinator's hub connection joined to it.</summary>
    private static async Task<(LiveServer.Session Coordinator, Guid Id, HubClient Chair)> SessionAsync(LiveServer server)
    {
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var id = await Negotiations.CreateSessionAsync(coordinator);
        var chair = await coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        return (coordinator, id, chair);
    }

    private static LiveSessionMetrics Metrics(LiveServer server) => server.Services.GetRequiredService<LiveSessionMetrics>();

    private static BidSubmission Bid(int round, double demand) => new() { BidId = Guid.NewGuid(), Round = round, Demand = demand };

    private static async Task BidAsync(IReadOnlyList<HubClient> members, Guid id, int round, double[] demands)
    {
        for (var i = 0; i < demands.Length; i++)
        {
            var ack = await members[i].Client.SubmitBidAsync(id, Bid(round, demands[i]));
            Assert.False(ack.Duplicate);
        }
    }

    private static async Task<HubClient[]> MembersAsync(LiveServer server, Guid id)
    {
        var result = new List<HubClient>();
        foreach (var name in Negotiations.MemberNames)
        {
            var hub = await (await server.SignInAsync(name)).ConnectAsync();
            await hub.Client.JoinSessionAsync(id);
            result.Add(hub);
        }

        return [.. result];
    }
}
