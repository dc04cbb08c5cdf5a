using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NegotiationHub.Bots.Bidding;
using NegotiationHub.Bots.Strategies;
using NegotiationHub.Data;
using NegotiationHub.Server.Tests.Realtime;
using Entities = NegotiationHub.Data.Entities;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>
/// A bid refused because the database was busy was not written, and the refusal says to send it
/// again. A round's last bid commits with the round's close (ADR 0012), so if a bot gave up on it
/// the round would wait for its deadline and the bot would be auto-conceded.
/// </summary>
public sealed class BotBusyRetryTests
{
    [Fact]
    public async Task A_bot_resends_a_bid_the_busy_database_refused_and_the_round_closes_on_all_bids_without_its_deadline()
    {
        var failClose = new FailingRoundClose();
        // The test clock never moves on its own: no deadline can close a round here.
        await using var server = LiveServer.Start(services: s => s.ConfigureDbContext<NegotiationDbContext>(o => o.AddInterceptors(failClose)));
        var coordinator = await Negotiations.CreateUsersAsync(server);
        var id = await Negotiations.CreateSessionAsync(coordinator);
        failClose.FailNext(); // the first write that closes a round: round 1's last bid, with its close
        var log = new ConcurrentQueue<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var result = await SessionRun.RunAsync(new SessionRunSettings
        {
            Server = server.BaseAddress,
            Coordinator = "coordinator",
            Members = Negotiations.MemberNames,
            Password = LiveServer.Password,
            SessionId = id,
            Strategies = [.. Enumerable.Range(0, 4).Select(_ => ConcessionStrategies.Create("toward-nbs", new StrategySettings()))],
            Log = log.Enqueue,
        }, timeout.Token);

        Assert.Equal(1, failClose.Failures);
        Assert.Single(log, line => line.Contains("met a busy database; sending it again", StringComparison.Ordinal));
        Assert.NotNull(result.Session.Agreement);
        Assert.All(result.Bots, b => Assert.Equal(BotEnding.Agreed, b.Ending));
        await using var db = server.Database();
        var first = await db.Rounds.AsNoTracking().SingleAsync(r => r.SessionId == id && r.Number == 1);
        Assert.Equal(Entities.RoundCloseReason.AllBid, first.CloseReason);
        Assert.Equal(4 * result.Session.Rounds, await db.Bids.CountAsync(b => b.SessionId == id && !b.AutoConceded));
        Assert.Equal(0, await db.Bids.CountAsync(b => b.SessionId == id && b.AutoConceded));
    }
}
