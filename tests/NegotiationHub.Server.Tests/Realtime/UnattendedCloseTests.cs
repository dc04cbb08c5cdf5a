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
/// A session's grain is the only one in the cluster (ADR 0019), and its broadcasts reach its
/// members on every node: a due round closes at once, whether or not any connection of the
/// session is on the grain's node. (Under ADR 0005 each node had its own grain, and one without
/// the session's connections waited a 5 s hand-over grace first.)
/// </summary>
public sealed class UnattendedCloseTests
{
    [Fact]
    public async Task A_passed_deadline_of_a_session_with_no_connection_closes_at_the_deadline()
    {
        await using var server = LiveServer.Start();
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var id = await Negotiations.CreateSessionAsync(coordinator);
        await using var chair = await coordinator.ConnectAsync();
        await chair.Client.JoinSessionAsync(id);
        await chair.Client.OpenRoundAsync(id, 30);
        await chair.Client.LeaveSessionAsync(id);

        await AdvanceAsync(server, TimeSpan.FromSeconds(29));
        Assert.Equal(RoundState.Open, (await RoundAsync(server, id)).State);

        server.Clock.Advance(TimeSpan.FromSeconds(2));
        var round = await ClosedRoundAsync(server, id);
        Assert.Equal(RoundState.Closed, round.State);
        Assert.Equal(Entities.RoundCloseReason.Deadline, round.CloseReason);
    }

    [Fact]
    public async Task A_round_whose_parties_have_all_bid_is_closed_on_the_retry_whether_or_not_anyone_is_in_the_room()
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

        // The chair still sits in the first session; the second has no one in its room. Both close on the retry.
        await AdvanceAsync(server, LiveSessionGrain.RetryInterval);
        Assert.Equal(1, (await chair.WaitForAsync<RoundClosed>(r => r.SessionId == first)).Analysis.Round);
        Assert.Equal(RoundState.Closed, (await RoundAsync(server, first)).State);
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
