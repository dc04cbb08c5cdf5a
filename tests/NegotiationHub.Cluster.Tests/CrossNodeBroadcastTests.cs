using System.Collections.Concurrent;
using System.Diagnostics;
using NegotiationHub.Cluster.Tests.Harness;
using NegotiationHub.Contracts;
using Xunit.Abstractions;

namespace NegotiationHub.Cluster.Tests;

/// <summary>
/// ADR 0019's fan-out, measured: a session's grain and its four bidders on node A, the coordinator
/// watching from node A and from node B. Every round's <c>RoundClosed</c> must reach the watcher on
/// node B through the Redis backplane. The test prints the broadcast latency from sending a round's
/// last bid to <c>RoundClosed</c> on each node, and each node's CPU time per bid (the README's
/// scale figures: on two shared cores the load driver against two nodes is no capacity figure).
/// </summary>
public sealed class CrossNodeBroadcastTests(ITestOutputHelper output)
{
    private const int Rounds = 140;

    // Rounds played first and not measured: JIT, connection pools, the silos' first calls.
    private const int WarmUp = 100;

    [Fact]
    public async Task Every_round_closed_on_node_a_reaches_a_connection_on_node_b()
    {
        await using var cluster = await LoopbackCluster.StartAsync("fanout");
        var nodeA = await cluster.StartNodeAsync("nodeA");
        var nodeB = await cluster.StartNodeAsync("nodeB");
        string Diagnostics() => cluster.Diagnostics();

        // Set up through node A: the session's grain starts there (its first call).
        var accounts = await Alliance.CreateAccountsAsync(nodeA.BaseAddress);
        var session = await Alliance.CreateSessionAsync(nodeA.BaseAddress, accounts, "Fan-out alliance");
        var clients = new List<NegotiationHub.Client.NegotiationHubClient>();
        try
        {
            var chair = await Hubs.JoinAsync(nodeA.BaseAddress, session.Id, accounts.Coordinator);
            var watcherA = chair;
            var watcherB = await Hubs.JoinAsync(nodeB.BaseAddress, session.Id, accounts.Coordinator);
            clients.Add(chair);
            clients.Add(watcherB);
            var members = new List<NegotiationHub.Client.NegotiationHubClient>();
            foreach (var member in accounts.Members)
            {
                members.Add(await Hubs.JoinAsync(nodeA.BaseAddress, session.Id, member));
            }

            clients.AddRange(members);
            var clock = Stopwatch.StartNew();
            var seenA = new ConcurrentDictionary<int, TaskCompletionSource<TimeSpan>>();
            var seenB = new ConcurrentDictionary<int, TaskCompletionSource<TimeSpan>>();
            TaskCompletionSource<TimeSpan> Slot(ConcurrentDictionary<int, TaskCompletionSource<TimeSpan>> seen, int round) =>
                seen.GetOrAdd(round, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            watcherA.OnRoundClosed(m => { Slot(seenA, m.Analysis.Round).TrySetResult(clock.Elapsed); return Task.CompletedTask; });
            watcherB.OnRoundClosed(m => { Slot(seenB, m.Analysis.Round).TrySetResult(clock.Elapsed); return Task.CompletedTask; });

            var cpuA = nodeA.CpuTime;
            var cpuB = nodeB.CpuTime;
            var measuredFrom = TimeSpan.Zero;
            var idleRate = (A: 0.0, B: 0.0);
            var sameNode = new List<double>();
            var crossNode = new List<double>();
            for (var round = 1; round <= Rounds; round++)
            {
                if (round == WarmUp + 1)
                {
                    // After the warm-up the runtime compiles the hot methods again in the background
                    // (".NET Tiered Compilation" in top -H, most of a core for several seconds): wait
                    // until both nodes are quiet, then take what each burns doing nothing (timers,
                    // membership probes) off its CPU per bid.
                    for (var settle = 0; settle < 30; settle++)
                    {
                        var before = (A: nodeA.CpuTime, B: nodeB.CpuTime);
                        await Task.Delay(TimeSpan.FromSeconds(1));
                        if (nodeA.CpuTime - before.A < TimeSpan.FromMilliseconds(100) && nodeB.CpuTime - before.B < TimeSpan.FromMilliseconds(100))
                        {
                            break;
                        }
                    }

                    var idleFrom = (A: nodeA.CpuTime, B: nodeB.CpuTime, At: clock.Elapsed);
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    var idleFor = clock.Elapsed - idleFrom.At;
                    idleRate = ((nodeA.CpuTime - idleFrom.A) / idleFor, (nodeB.CpuTime - idleFrom.B) / idleFor);
                    (cpuA, cpuB, measuredFrom) = (nodeA.CpuTime, nodeB.CpuTime, clock.Elapsed);
                    sameNode.Clear();
                    crossNode.Clear();
                }

                await chair.OpenRoundAsync(session.Id, 3600);
                // ΣD = 120 > K = 100 every round: no agreement, the session goes on.
                for (var party = 0; party < 3; party++)
                {
                    await members[party].SubmitBidAsync(session.Id, new BidSubmission { BidId = Guid.NewGuid(), Round = round, Demand = 30 });
                }

                var sent = clock.Elapsed;
                await members[3].SubmitBidAsync(session.Id, new BidSubmission { BidId = Guid.NewGuid(), Round = round, Demand = 30 });
                var atA = await Failures.WithDiagnosticsAsync(Slot(seenA, round).Task.WaitAsync(TimeSpan.FromSeconds(10)), Diagnostics);
                var atB = await Failures.WithDiagnosticsAsync(Slot(seenB, round).Task.WaitAsync(TimeSpan.FromSeconds(10)), Diagnostics);
                sameNode.Add((atA - sent).TotalMilliseconds);
                crossNode.Add((atB - sent).TotalMilliseconds);
            }

            var bids = (Rounds - WarmUp) * 4.0;
            var span = clock.Elapsed - measuredFrom;
            var rawA = (nodeA.CpuTime - cpuA).TotalMilliseconds / bids;
            var rawB = (nodeB.CpuTime - cpuB).TotalMilliseconds / bids;
            var netA = ((nodeA.CpuTime - cpuA) - (span * idleRate.A)).TotalMilliseconds / bids;
            var netB = ((nodeB.CpuTime - cpuB) - (span * idleRate.B)).TotalMilliseconds / bids;
            Assert.Equal(Rounds, seenB.Count);
            output.WriteLine($"last bid sent → RoundClosed, {Rounds - WarmUp} rounds: same node p50 {Percentile(sameNode, 0.5):F1} ms, p99 {Percentile(sameNode, 0.99):F1} ms; " +
                $"other node p50 {Percentile(crossNode, 0.5):F1} ms, p99 {Percentile(crossNode, 0.99):F1} ms");
            output.WriteLine($"CPU per bid over {span.TotalSeconds:F1} s: node A (grain, bidders, one watcher) {rawA:F2} ms, node B (one watcher) {rawB:F2} ms; " +
                $"idle just before: {idleRate.A * 100:F0}% and {idleRate.B * 100:F0}% of a core, which taken off leaves {netA:F2} and {netB:F2} ms");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
