using System.Collections.Concurrent;
using System.Diagnostics;
using NegotiationHub.Bots.Bidding;
using NegotiationHub.Bots.Load;
using NegotiationHub.Server.Tests.Realtime;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>The load driver's ramp: sessions' first rounds opened at their own moments, not in one burst.</summary>
public sealed class RoundConductorTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_conductor_opens_each_first_round_in_the_order_of_its_time_and_not_before_it(bool joinedBefore)
    {
        await using var server = LiveServer.Start();
        var coordinator = await Negotiations.CreateUsersAsync(server);
        Guid[] ids = [await Negotiations.CreateSessionAsync(coordinator), await Negotiations.CreateSessionAsync(coordinator), await Negotiations.CreateSessionAsync(coordinator)];
        var observer = await coordinator.ConnectAsync();
        var opened = new ConcurrentQueue<(Guid Session, long At)>();
        using var subscription = observer.Client.OnRoundOpened(m =>
        {
            opened.Enqueue((m.SessionId, Stopwatch.GetTimestamp()));
            return Task.CompletedTask;
        });
        foreach (var id in ids)
        {
            await observer.Client.JoinSessionAsync(id);
        }

        var at = new Dictionary<Guid, TimeSpan> { [ids[0]] = TimeSpan.FromMilliseconds(600), [ids[1]] = TimeSpan.Zero, [ids[2]] = TimeSpan.FromMilliseconds(300) };
        var chair = await coordinator.ConnectAsync();
        using var stop = new CancellationTokenSource();
        var conductor = new RoundConductor(chair.Client, ids, new ConductorOptions { FirstRoundAt = id => at[id] });
        if (joinedBefore)
        {
            // The times count from the start of the run, not from the join: a load run joins
            // every coordinator first, and its ramp must not be eaten by the slowest join.
            await conductor.JoinAsync(stop.Token);
            await Task.Delay(700);
            Assert.Empty(opened);
        }

        var started = Stopwatch.GetTimestamp();
        var run = conductor.RunAsync(stop.Token);
        var waited = Stopwatch.StartNew();
        while (opened.Count < 3 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var order = opened.ToArray();
        Assert.Equal([ids[1], ids[2], ids[0]], order.Select(o => o.Session));
        // Lower bounds only, with a timer's millisecond of slack: a round is seen opened after it
        // was opened, which is after its time; how much later is not this test's business.
        Assert.All(order, o => Assert.True(Stopwatch.GetElapsedTime(started, o.At) >= at[o.Session] - TimeSpan.FromMilliseconds(5), $"{o.Session} at {Stopwatch.GetElapsedTime(started, o.At)}"));
    }

    [Theory]
    [InlineData(250, 1000)]
    [InlineData(3, 600)]
    [InlineData(1, 1000)]
    public void Start_offsets_spread_the_sessions_evenly_over_the_ramp(int count, int rampMs)
    {
        var options = new LoadOptions { Server = new Uri("http://127.0.0.1"), AdminPassword = "x", Ramp = TimeSpan.FromMilliseconds(rampMs) };
        var offsets = Enumerable.Range(0, count).Select(k => LoadDriver.StartOffset(options, k, count)).ToList();

        Assert.Equal(TimeSpan.Zero, offsets[0]);
        Assert.All(offsets.Zip(offsets.Skip(1)), pair => Assert.Equal(rampMs / (double)count, (pair.Second - pair.First).TotalMilliseconds, 6));
        Assert.True(offsets[^1] < options.Ramp);
        Assert.All(Enumerable.Range(0, count), k => Assert.Equal(TimeSpan.Zero, LoadDriver.StartOffset(options with { Ramp = TimeSpan.Zero }, k, count)));
    }
}
