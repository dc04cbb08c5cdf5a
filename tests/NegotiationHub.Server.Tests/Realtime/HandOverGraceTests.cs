using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NegotiationHub.Contracts;
using NegotiationHub.Data;
using NegotiationHub.Server.Rounds;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Realtime;

/// <summary>
/// With several nodes every node's deadline service sees every open round (ADR 0005). A node that
/// holds none of a session's connections must leave a due round to the session's own node for
/// <see cref="DeadlineService.HandOverGrace"/>: if it closed the round at once, its
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
        var deadlines = Deadlines(server);

        Assert.Equal(0, await PollAsync(server, deadlines, TimeSpan.FromSeconds(31)));
        Assert.Equal(Entities.RoundState.Open, (await RoundAsync(server, id)).State);

        await PollAsync(server, deadlines, DeadlineService.HandOverGrace);
        var round = await RoundAsync(server, id);
        Assert.Equal(Entities.RoundState.Closed, round.State);
        Assert.Equal(Entities.RoundCloseReason.Deadline, round.CloseReason);
    }

    [Fact]
    public async Task A_round_whose_parties_have_all_bid_is_closed_at_once_where_its_clients_are_and_after_the_grace_elsewhere()
    {
        var failClose = new FailingRoundClose();
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(failClose)));
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var first = await Negotiations.CreateSessionAsync(coordinator);
        var second = await Negotiations.CreateSessionAsync(coordinator);
        await using var chair = await coordinator.ConnectAsync();
        foreach (var id in new[] { first, second })
        {
            await chair.Client.JoinSessionAsync(id);
            await chair.Client.OpenRoundAsync(id, 3600);
        }

        // Members bid without joining (no presence of theirs); each last bid's close fails, as when
        // another node or a busy database gets in the way, so both rounds stay open with every bid in.
        // (Without a cached state the last bid commits alone and the close is a write of its own:
        // from the cache the two are one transaction, which would refuse the bid instead.)
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
                    server.Services.GetRequiredService<SessionStateCache>().Invalidate(id);
                    failClose.FailNext();
                }

                await member.Client.SubmitBidAsync(id, new BidSubmission { BidId = Guid.NewGuid(), Round = 1, Demand = 30 });
            }
        }

        Assert.Equal(2, failClose.Failures);
        await chair.Client.LeaveSessionAsync(second);
        var deadlines = Deadlines(server);

        // The chair still sits in the first session on this node: it closes now. The second has no one here.
        await PollAsync(server, deadlines, DeadlineService.Interval);
        Assert.Equal(Entities.RoundState.Closed, (await RoundAsync(server, first)).State);
        Assert.Equal(1, (await chair.WaitForAsync<RoundClosed>(r => r.SessionId == first)).Analysis.Round);
        Assert.Equal(Entities.RoundState.Open, (await RoundAsync(server, second)).State);

        await PollAsync(server, deadlines, DeadlineService.HandOverGrace);
        var round = await RoundAsync(server, second);
        Assert.Equal(Entities.RoundState.Closed, round.State);
        Assert.Equal(Entities.RoundCloseReason.AllBid, round.CloseReason);
        Assert.DoesNotContain(chair.Received<RoundClosed>(), r => r.SessionId == second);

        foreach (var member in members)
        {
            await member.DisposeAsync();
        }
    }

    /// <summary>Moves the clock on and runs one deadline poll; returns how many rounds that poll closed.</summary>
    private static Task<int> PollAsync(LiveServer server, DeadlineService deadlines, TimeSpan by)
    {
        server.Clock.Advance(by);
        return deadlines.CloseExpiredAsync(CancellationToken.None);
    }

    private static DeadlineService Deadlines(LiveServer server) =>
        server.Services.GetServices<IHostedService>().OfType<DeadlineService>().Single();

    private static async Task<Entities.Round> RoundAsync(LiveServer server, Guid sessionId)
    {
        await using var db = server.Database();
        return await db.Rounds.AsNoTracking().SingleAsync(r => r.SessionId == sessionId && r.Number == 1);
    }
}
