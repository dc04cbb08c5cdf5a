using Microsoft.Extensions.Time.Testing;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Server.Live;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// With several nodes (ADR 0005) a session's grain may be active on a node that holds none of the
/// session's connections (woken at start, or left behind). Such a node must leave a due round to
/// the session's own node for <see cref="LiveSessionGrain.HandOverGrace"/>: if it closed the round at once, its
/// <c>RoundClosed</c> would go to its own, empty group and the session's clients would never hear
/// of it. The two-node failover test caught exactly that race (another node closing the round
/// between the last bid's commit and its node's close).
/// </summary>
public sealed class HandOverGraceTests
{
    [Fact]
    public async Task A_passed_deadline_of_a_session_with_no_connection_here_waits_for_the_grace_then_closes()
    {
        await using var server = LiveServer.Start();
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var id = await Negotiations.CreateSessionAsync(coordinator);
        await using var chair = await coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        await chair.Client.OpenRoundAsync(id, 30);
        await chair.Client.LeaveSessionAsync(id);

        await AdvanceAsync(server, TimeSpan.FromSeconds(31));
        Assert.Equal(RoundState.Open, (await RoundAsync(server, id)).State);

        server.Clock.Advance(LiveSessionGrain.HandOverGrace);
        var round = await ClosedRoundAsync(server, id);
        Assert.Equal(RoundState.Closed, round.State);
        Assert.Equal(Entities.RoundCloseReason.Deadline, round.CloseReason);
    }

    [Fact]
    public async Task A_round_whose_parties_have_all_bid_is_closed_at_once_where_its_clients_are_and_after_the_grace_elsewhere()
    {
        var failStrengths = new FailingQuery("StrengthReadings");
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(failStrengths)));
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var first = await Negotiations.CreateSessionAsync(coordinator);
        var second = await Negotiations.CreateSessionAsync(coordinator);
        await using var chair = await coordinator.ConnectAsync();
        foreach (var id in new[] { first, second })
        {
            await chair.Client.JoinSessionAsync(id);
            // A new strength period, whose problem no one has read yet: each round's last bid must read it to close the round.
            var recorded = await coordinator.Http.PostAsJsonAsync($"/api/sessions/{id}/strengths", new { period = 1, strengths = Agreements.ContractFixture.Strengths(4) });
            Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
            await chair.Client.OpenRoundAsync(id, 3600);
        }

        // Members bid without joining (no presence of theirs); each last bid's close cannot be
        // decided (the period's readings cannot be read), so the bid commits alone and both
        // rounds stay open with every bid in, to be closed by their live sessions' timers.
        var members = new List<HubClient>();
        foreach (var name in Negotiations.MemberNames)
        {
            members.Add(await (await server.SignInAsync(name)).ConnectAsync());
        }

        foreach (var id in new[] { first, second })
        {
            foreach (var member in members)
            {
                if (member == members[^1])
                {
                    failStrengths.Arm();
                }

                await member.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 });
            }
        }

        failStrengths.Disarm();
        Assert.True(failStrengths.Failures >= 2);
        await chair.Client.LeaveSessionAsync(second);

        // The chair still sits in the first session on this node: it closes now. The second has no one here.
        await AdvanceAsync(server, LiveSessionGrain.RetryInterval);
        Assert.Equal(1, (await chair.WaitForAsync<RoundClosed>(r => r.SessionId == first)).Analysis.Round);
        Assert.Equal(RoundState.Closed, (await RoundAsync(server, first)).State);
        Assert.Equal(RoundState.Open, (await RoundAsync(server, second)).State);

        server.Clock.Advance(LiveSessionGrain.HandOverGrace);
        var round = await ClosedRoundAsync(server, second);
        Assert.Equal(RoundState.Closed, round.State);
        Assert.Equal(Entities.RoundCloseReason.AllBid, round.CloseReason);
        Assert.DoesNotContain(chair.Received<RoundClosed>(), r => r.SessionId == second);

        foreach (var member in members)
        {
            await member.DisposeAsync();
        }
    }

    /// <summary>
    /// Moves the clock on and gives the grain timers that fell due time to run (they run on the
    /// grain's scheduler, after <see cref="FakeTimeProvider.Advance"/> returns), so a round still
    /// open afterwards was not closed by them.
    /// </summary>
    private static async Task AdvanceAsync(LiveServer server, TimeSpan by)
    {
        server.Clock.Advance(by);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Round 1 of the session once it is closed (waits up to 10 s of real time).</summary>
    private static async Task<Entities.Round> ClosedRoundAsync(LiveServer server, Guid sessionId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var round = await RoundAsync(server, sessionId);
            if (round.State == RoundState.Closed)
            {
                return round;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private static async Task<Entities.Round> RoundAsync(LiveServer server, Guid sessionId)
    {
        await using var db = server.Database();
        return await db.Rounds.AsNoTracking().SingleAsync(r => r.SessionId == sessionId && r.Number == 1);
    }
}
